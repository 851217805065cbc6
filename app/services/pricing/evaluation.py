"""Evaluation of orders: one batch-loaded snapshot, the pure pricing steps, the line rules, and `freeze`,
which stores an evaluation into the lines and totals (every path that stores prices calls it).

Drafts are priced live with today's rules; orders past the draft stage (waiting for a payment, placed,
canceled) read their frozen amounts. Any number of orders in a fixed number of statements.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import Address, Order, OrderLine, Voucher, utcnow
from app.services.catalog.offers import OfferInfo
from app.services.catalog.quantity_rules import ExtraLimits, check_line
from app.services.common.caller import Caller
from app.services.common.errors import ErrorCode, Problem
from app.services.common.money import to_decimal
from app.services.pricing import controls, steps
from app.services.pricing.controls import ApprovalNeed
from app.services.pricing.promotion_loading import PromotionSnapshot
from app.services.pricing.promotion_rules import (
    automatic_line_rules,
    best_automatic_order_rule,
    order_rule,
    voucher_check,
)
from app.services.pricing.snapshot import Snapshot, load_snapshot
from app.services.rules.methods import Content, shipping_reason
from app.services.rules.states import priced_live


@dataclass
class PricedLine:
    line: OrderLine
    info: OfferInfo | None
    amounts: steps.LineAmounts
    problems: list[Problem] = field(default_factory=list)

    @property
    def unit_amount(self) -> int:
        return self.amounts.unit

    @property
    def discount(self) -> int:
        return self.amounts.discount

    @property
    def tax(self) -> int:
        return self.amounts.tax

    @property
    def total(self) -> int:
        return self.amounts.net


@dataclass
class Evaluation:
    order: Order
    lines: list[PricedLine]
    issues: list[Problem]
    totals: steps.Totals
    voucher: Voucher | None = None  # the draft's voucher (whether or not it applies now)
    voucher_discount: int = 0  # what it takes off now (0 when it does not qualify: see issues)
    # Supplier parts that need an approval not given yet (services/pricing/controls.py)
    approvals: list[ApprovalNeed] = field(default_factory=list)

    @property
    def blocking(self) -> list[Problem]:
        return [p for p in self.issues if p.blocking]


async def evaluate(
    session: AsyncSession,
    caller: Caller,
    orders: Sequence[Order],
    *,
    extra_limits: Mapping[str, dict[str, ExtraLimits]] | None = None,
    known_infos: Mapping[str, OfferInfo] | None = None,
) -> dict[str, Evaluation]:
    """Price and validate orders. `extra_limits`: per order id, per variant id, limits of its source (loaded
    from the drafts' operations when not given); `known_infos`: see `load_snapshot`."""
    if not orders:
        return {}
    snap = await load_snapshot(session, caller, orders, extra_limits, known_infos)
    stock_check = caller.has_flag("STOCK_CHECK")
    evals = {o.id: evaluate_one(o, snap, stock_check=stock_check) for o in orders}
    await controls.add_issues(session, caller, evals)  # approvals and budgets of the account (docs/b2b.md)
    return evals


def evaluate_one(order: Order, snap: Snapshot, *, stock_check: bool) -> Evaluation:
    lines = snap.lines.get(order.id, [])
    if not priced_live(order.status) or order.account_id not in snap.infos:
        return _frozen(order, lines)  # placed, waiting for a payment, or read by someone else than its buyer
    infos = snap.infos.get(order.account_id, {})
    limits = snap.limits.get(order.id, {})
    inputs = []
    for ln in lines:
        info = infos.get(ln.offer_id)
        price = info.price if info else None
        inputs.append(
            steps.LineInput(
                key=ln.id,
                product_id=info.product.id if info else "",
                quantity=ln.quantity,
                price=price,
                agreed_unit=ln.agreed_unit_amount,
                stored_unit=ln.unit_amount,
                tax_rate_bp=price.tax_rate_bp if price else ln.tax_rate_bp,
            )
        )
    shipping = snap.shipping.get(order.shipping_method_id or "")
    shipping_amount = shipping[0].price_amount if shipping else 0
    promos = snap.promotions
    first_time = promos.first_time(order.account_id)
    line_rules = automatic_line_rules(promos.automatic, snap.now, first_time=first_time)
    # Order-level rules see the nets after line discounts: price the lines, then the order.
    amounts, _ = steps.price_lines(inputs, rules=line_rules)
    nets = [(ln.product_id, a.net) for ln, a in zip(inputs, amounts, strict=True)]
    order_rules, voucher_issue, voucher = _order_rules(order, promos, snap.now, first_time, nets)
    amounts, totals = steps.price_lines(inputs, rules=line_rules, order_rules=order_rules, shipping=shipping_amount)
    priced = []
    for ln, amt in zip(lines, amounts, strict=True):
        info = infos.get(ln.offer_id)
        problems = check_line(
            info, ln.quantity, stock_check=stock_check, extra=limits.get(ln.variant_id), line_id=ln.id
        )
        if info is not None and info.price is not None and amt.unit != ln.unit_amount:
            problems.append(
                Problem(
                    ErrorCode.PRICE_CHANGED,
                    f"{info.variant.sku}: unit price is now {to_decimal(amt.unit)} (was {to_decimal(ln.unit_amount)})",
                    line_id=ln.id,
                    blocking=False,
                )
            )
        priced.append(PricedLine(ln, info, amt, problems))
    issues = [p for pl in priced for p in pl.problems] + _order_issues(order, priced, snap.addresses)
    if shipping is not None:
        products = frozenset(pl.info.product.id for pl in priced if pl.info)
        content = Content(products, totals.total - totals.shipping, order.currency)
        reason = shipping_reason(shipping[0], shipping[1], content)
        if reason:
            issues.append(Problem(ErrorCode.SHIPPING_METHOD_UNAVAILABLE, reason, field=("shippingMethodId",)))
    if voucher_issue is not None:
        issues.append(voucher_issue)
    voucher_discount = dict(totals.order_discounts).get(voucher.code, 0) if voucher else 0
    return Evaluation(order, priced, issues, totals, voucher, voucher_discount)


def _order_rules(
    order: Order, promos: PromotionSnapshot, now: datetime, first_time: bool, nets: list[tuple[str, int]]
) -> tuple[list[steps.OrderDiscountRule], Problem | None, Voucher | None]:
    """The order-level rules of a draft: the best automatic one, and its voucher's when it qualifies (a voucher
    that stopped qualifying stays on the draft, gives nothing, and shows as a non-blocking issue)."""
    rules = []
    automatic = best_automatic_order_rule(promos.automatic, now, first_time=first_time, lines=nets)
    if automatic is not None:
        rules.append(automatic)
    found = promos.vouchers.get(order.voucher_id or "")
    if found is None:
        return rules, None, None
    voucher, facts = found
    check = voucher_check(
        voucher, facts, now, first_time=first_time, lines=nets, used_by_customer=promos.used_by(voucher, order.user_id)
    )
    if check is not None:
        # Used up by others: placing must refuse (the buyer expected the discount). Anything else (the order
        # changed, the date passed): the voucher stays and simply gives nothing.
        blocking = check.code == ErrorCode.VOUCHER_USAGE_LIMIT
        return rules, Problem(check.code, check.message, field=("voucher",), blocking=blocking), voucher
    rule = order_rule(facts)
    return [*rules, replace(rule, code=voucher.code)], None, voucher


def _frozen(order: Order, lines: Sequence[OrderLine]) -> Evaluation:
    amounts = [
        steps.LineAmounts(
            key=ln.id,
            unit=ln.unit_amount,
            discount=ln.discount_amount,
            unit_after_discount=steps.unit_after(ln.total_amount, ln.quantity, ln.unit_amount),
            net=ln.total_amount,
            tax_rate_bp=ln.tax_rate_bp,
            tax=ln.tax_amount,
            promotion=ln.promotion_code,
        )
        for ln in lines
    ]
    totals = steps.Totals(
        subtotal=order.subtotal_amount,
        line_discount=sum(a.discount for a in amounts),
        order_discount=order.discount_amount - sum(a.discount for a in amounts),
        shipping=order.shipping_amount,
        tax=order.tax_amount,
        total=order.total_amount,
    )
    priced = [PricedLine(ln, None, a) for ln, a in zip(lines, amounts, strict=True)]
    return Evaluation(order, priced, [], totals, voucher_discount=order.voucher_discount_amount)


def _address_issue(
    order: Order, address: Address | None, kind: str, required: ErrorCode, field_name: str
) -> Problem | None:
    if address is None or address.account_id != order.account_id:
        return Problem(required, f"set a {kind} address", field=(field_name,))
    if address.deleted_at is not None:  # deleted from the address book since it was set
        return Problem(
            required, f"the {kind} address was deleted from your addresses: set another", field=(field_name,)
        )
    if not (address.is_shipping if kind == "shipping" else address.is_billing):
        return Problem(
            ErrorCode.ADDRESS_TYPE_MISMATCH, f"the {kind} address is not a {kind} address", field=(field_name,)
        )
    return None


def _order_issues(order: Order, priced: list[PricedLine], addresses: dict[str, Address]) -> list[Problem]:
    issues: list[Problem] = []
    if not priced:
        issues.append(Problem(ErrorCode.ORDER_EMPTY, "add at least one line"))
    for problem in (
        _address_issue(
            order,
            addresses.get(order.shipping_address_id or ""),
            "shipping",
            ErrorCode.SHIPPING_ADDRESS_REQUIRED,
            "shippingAddressId",
        ),
        _address_issue(
            order,
            addresses.get(order.billing_address_id or ""),
            "billing",
            ErrorCode.BILLING_ADDRESS_REQUIRED,
            "billingAddressId",
        ),
    ):
        if problem is not None:
            issues.append(problem)
    return issues


async def freeze(
    session: AsyncSession, ev: Evaluation, *, line_values: Mapping[str, dict] | None = None, bump: bool = True
) -> None:
    """Store an evaluation: each line's unit price, rate, discount, tax and net (one executemany, plus any
    `line_values` per line id, e.g. its logistic order at placement) and the order's totals. Bumps the
    version unless told otherwise (a new draft starts at version 1)."""
    rows = [
        {
            "id": pl.line.id,
            "unit_amount": pl.amounts.unit,
            "tax_rate_bp": pl.amounts.tax_rate_bp,
            "tax_amount": pl.amounts.tax,
            "discount_amount": pl.amounts.discount,
            "total_amount": pl.amounts.net,
            "promotion_code": pl.amounts.promotion,
            **(line_values or {}).get(pl.line.id, {}),
        }
        for pl in ev.lines
    ]
    if rows:
        await session.execute(update(OrderLine), rows)  # bulk UPDATE by primary key
    order, t = ev.order, ev.totals
    order.subtotal_amount, order.shipping_amount, order.tax_amount = t.subtotal, t.shipping, t.tax
    order.discount_amount, order.total_amount = t.discount, t.total
    order.voucher_discount_amount = ev.voucher_discount
    order.updated_at = utcnow()
    if bump:
        order.version += 1
