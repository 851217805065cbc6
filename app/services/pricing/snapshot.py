"""The snapshot an evaluation reads: lines, offers with visibility and resolved prices per account,
addresses, operation limits, shipping methods and promotions, for any number of orders in a fixed number of
statements."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import Address, OperationLine, Order, OrderLine, ShippingMethod, utcnow
from app.services.catalog.offers import OfferInfo, offer_infos
from app.services.catalog.quantity_rules import ExtraLimits
from app.services.common.caller import Caller
from app.services.pricing.promotion_loading import PromotionSnapshot, load_promotions
from app.services.rules.methods import shipping_exclusions
from app.services.rules.states import priced_live


def owns(caller: Caller, order: Order) -> bool:
    """Drafts are priced live for their own buyer. Anyone else (an operator, the gateway itself) reads the
    amounts stored by the draft's last edit or sync: a listing of many accounts' drafts stays one pricing pass
    (the statement count does not grow with the accounts listed), and no one sees another account's prices
    computed with rules that are not theirs."""
    return caller.is_buyer and caller.account_id == order.account_id


@dataclass
class Snapshot:
    """Everything the evaluation of some orders reads, loaded in a fixed number of statements."""

    lines: dict[str, list[OrderLine]]
    infos: dict[str, dict[str, OfferInfo]]  # per account id, per offer id
    addresses: dict[str, Address]
    limits: dict[str, dict[str, ExtraLimits]]  # per order id, per variant id
    shipping: dict[str, tuple[ShippingMethod, frozenset[str]]]  # per method id: the method, excluded products
    promotions: PromotionSnapshot
    now: datetime


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
    live = [o for o in orders if priced_live(o.status) and owns(caller, o)]
    address_ids = {a for o in live for a in (o.shipping_address_id, o.billing_address_id) if a}
    addresses = (
        {a.id: a for a in await session.scalars(select(Address).where(Address.id.in_(address_ids)))}
        if address_ids
        else {}
    )
    # One pricing pass: the caller's own account. Frozen orders need the offers only to name them, which their
    # lines' own loaders do.
    infos: dict[str, dict[str, OfferInfo]] = {}
    if live:
        offer_ids = {ln.offer_id for o in live for ln in lines[o.id]}
        reused = {i: known[i] for i in offer_ids if i in known} if known else {}
        infos[live[0].account_id] = reused | await offer_infos(session, caller, offer_ids - reused.keys())
    if limits is None:
        limits = await source_limits(session, live)
    return Snapshot(
        lines,
        infos,
        addresses,
        dict(limits),
        await _shipping_methods(session, live),
        await load_promotions(session, live),
        utcnow(),
    )


async def _shipping_methods(
    session: AsyncSession, orders: Sequence[Order]
) -> dict[str, tuple[ShippingMethod, frozenset[str]]]:
    ids = {o.shipping_method_id for o in orders if o.shipping_method_id}
    if not ids:
        return {}
    found = list(await session.scalars(select(ShippingMethod).where(ShippingMethod.id.in_(ids))))
    excluded = await shipping_exclusions(session, [m.id for m in found])
    return {m.id: (m, excluded.get(m.id, frozenset())) for m in found}


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
