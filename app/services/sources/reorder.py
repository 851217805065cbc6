"""Reorder (createDraftOrderFromOrder): a new draft with the lines of one of the account's orders (placed,
canceled or waiting for its payment: anything past the draft stage), each at its quantity and from the same
offer (so the same supplier), at today's price, re-validated with the rules every draft source follows
(sources/revalidation.py): a line whose product left the account's catalog view, is inactive, lost its price or
is out of stock is skipped with a warning naming its SKU; when none is left, NO_LINES_AVAILABLE. The order's
shipping and billing addresses come along when they are still in the account's book. The draft's source is the
order (ORDER); the order itself is unchanged and may be reordered any number of times."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import Order, OrderLine, Variant
from app.services.catalog.offers import offer_infos
from app.services.common.caller import Caller
from app.services.common.errors import ErrorCode, Problem
from app.services.common.idempotency import run_once
from app.services.common.outcome import Outcome, service
from app.services.orders.drafts import DraftChanges, apply_changes
from app.services.orders.scope import get_order
from app.services.rules.states import is_draft
from app.services.sources.revalidation import SourceLine, draft_with_lines, refuse_if_empty, revalidate

SOURCE = "ORDER"


@service
async def create_draft_from_order(
    session: AsyncSession, caller: Caller, order_key: str, *, idempotency_key: str | None = None
) -> Outcome[Order]:
    return await run_once(
        session,
        caller,
        idempotency_key,
        "createDraftOrderFromOrder",
        {"orderId": order_key},
        lambda: _draft_from_order(session, caller, order_key),
    )


async def _draft_from_order(session: AsyncSession, caller: Caller, order_key: str) -> Outcome[Order]:
    order = await get_order(session, caller, order_key)
    if order is None or is_draft(order.status):  # a draft is read and copied as a draft, not reordered
        return Outcome.refused(Problem(ErrorCode.NOT_FOUND, "order not found"))
    rows = (
        await session.execute(
            select(OrderLine.offer_id, OrderLine.quantity, Variant.sku)
            .join(Variant, Variant.id == OrderLine.variant_id)
            .where(OrderLine.order_id == order.id)
            .order_by(OrderLine.position, OrderLine.id)
        )
    ).all()
    infos = await offer_infos(session, caller, [r.offer_id for r in rows])
    asked = [SourceLine(info=infos.get(r.offer_id), sku=r.sku, quantity=r.quantity) for r in rows]
    kept, warnings = revalidate(asked, stock_check=caller.has_flag("STOCK_CHECK"))
    refuse_if_empty(kept, warnings, ErrorCode.NO_LINES_AVAILABLE, "no line of this order can be bought now")
    draft = await draft_with_lines(session, caller, kept, source=(SOURCE, order.id))
    await _same_addresses(session, caller, draft, order)
    return Outcome.done(draft, warnings=warnings)


async def _same_addresses(session: AsyncSession, caller: Caller, draft: Order, order: Order) -> None:
    """The order's addresses on the draft, each only if still usable (a deleted one is left out: the draft
    then shows the address issue any draft without one shows). Addresses change no price: set after pricing."""
    if order.shipping_address_id:
        shipping = DraftChanges(shipping_address_id=order.shipping_address_id, given=frozenset({"shippingAddressId"}))
        await apply_changes(session, caller, draft, shipping)
    if order.billing_address_id:
        billing = DraftChanges(billing_address_id=order.billing_address_id, given=frozenset({"billingAddressId"}))
        await apply_changes(session, caller, draft, billing)
