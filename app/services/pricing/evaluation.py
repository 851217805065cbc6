"""Evaluation of orders: one batch-loaded snapshot, the pure pricing steps, the line rules, and `freeze`,
which stores an evaluation into the lines and totals (every path that stores prices calls it).

Drafts are priced live with today's rules; orders past the draft stage (waiting for a payment, placed,
canceled) read their frozen amounts. Any number of orders in a fixed number of statements.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import Account, Address, OperationLine, Order, OrderLine, ShippingMethod, utcnow
from app.services.access.caller import Caller
from app.services.catalog.offers import OfferInfo, offer_infos
from app.services.checkout.methods import Content, shipping_exclusions, shipping_reason
from app.services.common.errors import ErrorCode, Problem
from app.services.common.money import to_decimal
from app.services.orders.line_rules import ExtraLimits, check_line
from app.services.orders.states import priced_live
from app.services.pricing import steps


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

    @property
    def blocking(self) -> list[Problem]:
        return [p for p in self.issues if p.blocking]


def pricing_caller(caller: Caller, order: Order, group_id: str | None) -> Caller:
    """Prices and visibility of a draft are those of its account, whoever reads it (an operator too)."""
    if caller.client == "ACCOUNT" and caller.account_id == order.account_id:
        return caller
    return replace(caller, client="ACCOUNT", account_id=order.account_id, group_id=group_id, currency=order.currency)


@dataclass
class Snapshot:
    """Everything the evaluation of some orders reads, loaded in a fixed number of statements."""

    lines: dict[str, list[OrderLine]]
    infos: dict[str, dict[str, OfferInfo]]  # per account id, per offer id
    addresses: dict[str, Address]
    limits: dict[str, dict[str, ExtraLimits]]  # per order id, per variant id
    shipping: dict[str, tuple[ShippingMethod, frozenset[str]]]  # per method id: the method, excluded products


async def load_snapshot(
    session: AsyncSession,
    caller: Caller,
    orders: Sequence[Order],
    limits: Mapping[str, dict[str, ExtraLimits]] | None = None,
    known: Mapping[str, OfferInfo] | None = None,
) -> Snapshot:
    """`known`: offer infos the same unit of work already loaded for `caller` itself (a line edit checks the
    offers it adds); reused for the caller's own drafts instead of being read a second time."""
    ids = [o.id for o in orders]
    lines: dict[str, list[OrderLine]] = defaultdict(list)
    for line in await session.scalars(
        select(OrderLine).where(OrderLine.order_id.in_(ids)).order_by(OrderLine.position, OrderLine.id)
    ):
        lines[line.order_id].append(line)
    live = [o for o in orders if priced_live(o.status)]
    address_ids = {a for o in live for a in (o.shipping_address_id, o.billing_address_id) if a}
    addresses = (
        {a.id: a for a in await session.scalars(select(Address).where(Address.id.in_(address_ids)))}
        if address_ids
        else {}
    )
    foreign_accounts = {o.account_id for o in live if o.account_id != caller.account_id}
    groups = (
        dict(
            (await session.execute(select(Account.id, Account.group_id).where(Account.id.in_(foreign_accounts)))).all()
        )
        if foreign_accounts
        else {}
    )
    # One pricing pass per distinct account (a buyer reading its drafts: exactly one). Frozen orders need the
    # offers only to name them, which their lines' own loaders do.
    by_account: dict[str, list[Order]] = defaultdict(list)
    for o in live:
        by_account[o.account_id].append(o)
    infos: dict[str, dict[str, OfferInfo]] = {}
    for account_id, account_orders in by_account.items():
        scope = pricing_caller(caller, account_orders[0], groups.get(account_id, caller.group_id))
        offer_ids = {ln.offer_id for o in account_orders for ln in lines[o.id]}
        reused = {i: known[i] for i in offer_ids if i in known} if known and scope is caller else {}
        infos[account_id] = reused | await offer_infos(session, scope, offer_ids - reused.keys())
    if limits is None:
        limits = await source_limits(session, live)
    return Snapshot(lines, infos, addresses, dict(limits), await _shipping_methods(session, live))


async def _shipping_methods(
    session: AsyncSession, orders: Sequence[Order]
) -> dict[str, tuple[ShippingMethod, frozenset[str]]]:
    ids = {o.shipping_method_id for o in orders if o.shipping_method_id}
    if not ids:
        return {}
    found = list(await session.scalars(select(ShippingMethod).where(ShippingMethod.id.in_(ids))))
    excluded = await shipping_exclusions(session, [m.id for m in found])
    return {m.id: (m, excluded.get(m.id, frozenset())) for m in found}


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
    return {o.id: evaluate_one(o, snap, stock_check=stock_check) for o in orders}


def evaluate_one(order: Order, snap: Snapshot, *, stock_check: bool) -> Evaluation:
    lines = snap.lines.get(order.id, [])
    if not priced_live(order.status):
        return _frozen(order, lines)
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
    amounts, totals = steps.price_lines(inputs, shipping=shipping[0].price_amount if shipping else 0)
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
    return Evaluation(order, priced, issues, totals)


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
            promotion=None,
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
    return Evaluation(order, [PricedLine(ln, None, a) for ln, a in zip(lines, amounts, strict=True)], [], totals)


def _address_issue(
    order: Order, address: Address | None, kind: str, required: ErrorCode, field_name: str
) -> Problem | None:
    if address is None or address.account_id != order.account_id:
        return Problem(required, f"set a {kind} address", field=(field_name,))
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
            **(line_values or {}).get(pl.line.id, {}),
        }
        for pl in ev.lines
    ]
    if rows:
        await session.execute(update(OrderLine), rows)  # bulk UPDATE by primary key
    order, t = ev.order, ev.totals
    order.subtotal_amount, order.shipping_amount, order.tax_amount = t.subtotal, t.shipping, t.tax
    order.discount_amount, order.total_amount = t.discount, t.total
    order.updated_at = utcnow()
    if bump:
        order.version += 1


async def source_limits(session: AsyncSession, orders: Sequence[Order]) -> dict[str, dict[str, ExtraLimits]]:
    """Per order started from an operation, per variant: the operation line's min and max."""
    by_operation = defaultdict(list)
    for o in orders:
        if o.source_type == "OPERATION" and o.source_id:
            by_operation[o.source_id].append(o.id)
    out: dict[str, dict[str, ExtraLimits]] = defaultdict(dict)
    if by_operation:
        for ln in await session.scalars(
            select(OperationLine).where(OperationLine.operation_id.in_(list(by_operation)))
        ):
            for order_id in by_operation[ln.operation_id]:
                out[order_id][ln.variant_id] = ExtraLimits(ln.min_quantity, ln.max_quantity)
    return out
