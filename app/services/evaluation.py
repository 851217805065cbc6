"""Pricing and validation of drafts with today's rules, for any number of drafts in a fixed number of
statements. Used by every read of a draft, by every edit, and again at placement."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import Account, Address, OperationLine, Order, OrderLine
from app.services.caller import Caller
from app.services.catalog import OfferInfo, offer_infos
from app.services.errors import ErrorCode, Problem
from app.services.line_rules import ExtraLimits, check_line
from app.services.money import tax_of, to_decimal

EDITABLE = ("DRAFT",)
LOCKED_DRAFT = ("DRAFT_ON_HOLD",)
DRAFT_STATUSES = ("DRAFT", "DRAFT_ON_HOLD", "PAYMENT_PENDING")


@dataclass
class PricedLine:
    line: OrderLine
    info: OfferInfo | None
    unit_amount: int
    discount: int
    tax: int
    total: int  # net, after discount
    problems: list[Problem] = field(default_factory=list)


@dataclass
class Evaluation:
    order: Order
    lines: list[PricedLine]
    issues: list[Problem]
    subtotal: int
    shipping: int
    tax: int
    discount: int
    total: int

    @property
    def blocking(self) -> list[Problem]:
        return [p for p in self.issues if p.blocking]


def pricing_caller(caller: Caller, order: Order, group_id: str | None) -> Caller:
    """Prices and visibility of a draft are those of its account, whoever reads it (an operator too)."""
    if caller.client == "ACCOUNT" and caller.account_id == order.account_id:
        return caller
    return replace(caller, client="ACCOUNT", account_id=order.account_id, group_id=group_id, currency=order.currency)


async def evaluate(
    session: AsyncSession,
    caller: Caller,
    orders: Sequence[Order],
    *,
    extra_limits: dict[str, dict[str, ExtraLimits]] | None = None,
) -> dict[str, Evaluation]:
    """Price and validate drafts. `extra_limits`: per order id, per variant id, limits of its source
    (loaded from the drafts' operations when not given)."""
    if not orders:
        return {}
    if extra_limits is None:
        extra_limits = await source_limits(session, orders)
    ids = [o.id for o in orders]
    lines_by_order: dict[str, list[OrderLine]] = defaultdict(list)
    for line in await session.scalars(
        select(OrderLine).where(OrderLine.order_id.in_(ids)).order_by(OrderLine.position, OrderLine.id)
    ):
        lines_by_order[line.order_id].append(line)
    address_ids = {a for o in orders for a in (o.shipping_address_id, o.billing_address_id) if a}
    addresses = (
        {a.id: a for a in await session.scalars(select(Address).where(Address.id.in_(address_ids)))}
        if address_ids
        else {}
    )
    foreign_accounts = {o.account_id for o in orders if o.account_id != caller.account_id}
    groups = (
        dict(
            (await session.execute(select(Account.id, Account.group_id).where(Account.id.in_(foreign_accounts)))).all()
        )
        if foreign_accounts
        else {}
    )
    # One pricing pass per distinct account (a buyer reading its drafts: exactly one).
    by_account: dict[str, list[Order]] = defaultdict(list)
    for o in orders:
        by_account[o.account_id].append(o)
    infos_by_account: dict[str, dict[str, OfferInfo]] = {}
    for account_id, account_orders in by_account.items():
        scope = pricing_caller(caller, account_orders[0], groups.get(account_id, caller.group_id))
        offer_ids = {ln.offer_id for o in account_orders for ln in lines_by_order[o.id]}
        infos_by_account[account_id] = await offer_infos(session, scope, offer_ids)

    stock_check = caller.has_flag("STOCK_CHECK")
    result: dict[str, Evaluation] = {}
    for o in orders:
        infos = infos_by_account[o.account_id]
        limits = (extra_limits or {}).get(o.id, {})
        priced = [_price_line(o, ln, infos.get(ln.offer_id), stock_check, limits) for ln in lines_by_order[o.id]]
        issues = [p for pl in priced for p in pl.problems]
        issues += _order_issues(o, priced, addresses)
        subtotal = sum(pl.total for pl in priced)
        tax = sum(pl.tax for pl in priced)
        discount = sum(pl.discount for pl in priced)
        shipping = 0
        result[o.id] = Evaluation(o, priced, issues, subtotal, shipping, tax, discount, subtotal + shipping + tax)
    return result


def _price_line(
    order: Order, line: OrderLine, info: OfferInfo | None, stock_check: bool, limits: dict[str, ExtraLimits]
) -> PricedLine:
    if order.status not in DRAFT_STATUSES:
        # Placed: prices are frozen into the line.
        return PricedLine(line, info, line.unit_amount, line.discount_amount, line.tax_amount, line.total_amount)
    problems = check_line(
        info, line.quantity, stock_check=stock_check, extra=limits.get(line.variant_id), line_id=line.id
    )
    if info is None or info.price is None:
        unit, rate = line.unit_amount, line.tax_rate_bp
    else:
        unit = line.agreed_unit_amount if line.agreed_unit_amount is not None else info.price.unit_for(line.quantity)
        rate = info.price.tax_rate_bp
        if unit != line.unit_amount:
            problems.append(
                Problem(
                    ErrorCode.PRICE_CHANGED,
                    f"{info.variant.sku}: unit price is now {to_decimal(unit)} (was {to_decimal(line.unit_amount)})",
                    line_id=line.id,
                    blocking=False,
                )
            )
    gross = unit * line.quantity
    discount = 0
    total = gross - discount
    return PricedLine(line, info, unit, discount, tax_of(total, rate), total, problems)


def _order_issues(order: Order, priced: list[PricedLine], addresses: dict[str, Address]) -> list[Problem]:
    if order.status not in DRAFT_STATUSES:
        return []
    issues: list[Problem] = []
    if not priced:
        issues.append(Problem(ErrorCode.ORDER_EMPTY, "add at least one line"))
    ship = addresses.get(order.shipping_address_id or "")
    bill = addresses.get(order.billing_address_id or "")
    if ship is None or ship.account_id != order.account_id:
        issues.append(
            Problem(ErrorCode.SHIPPING_ADDRESS_REQUIRED, "set a shipping address", field=("shippingAddressId",))
        )
    elif not ship.is_shipping:
        issues.append(
            Problem(
                ErrorCode.ADDRESS_TYPE_MISMATCH,
                "the shipping address is not a shipping address",
                field=("shippingAddressId",),
            )
        )
    if bill is None or bill.account_id != order.account_id:
        issues.append(Problem(ErrorCode.BILLING_ADDRESS_REQUIRED, "set a billing address", field=("billingAddressId",)))
    elif not bill.is_billing:
        issues.append(
            Problem(
                ErrorCode.ADDRESS_TYPE_MISMATCH,
                "the billing address is not a billing address",
                field=("billingAddressId",),
            )
        )
    return issues


def apply_totals(order: Order, ev: Evaluation) -> None:
    """Keep the stored totals of a draft current (they serve sorting and listing)."""
    order.subtotal_amount = ev.subtotal
    order.shipping_amount = ev.shipping
    order.tax_amount = ev.tax
    order.discount_amount = ev.discount
    order.total_amount = ev.total


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
