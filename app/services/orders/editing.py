"""The start and end of every draft edit: lock and check the draft, then re-price and bump its version."""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy.ext.asyncio import AsyncSession

from app.models import Order
from app.services.access.permissions import Permission, require
from app.services.catalog.offers import OfferInfo
from app.services.common.caller import Caller
from app.services.common.errors import ErrorCode, Problem, Refusal
from app.services.orders.scope import get_order, not_found
from app.services.pricing.evaluation import evaluate, freeze
from app.services.rules.states import details_editable, lines_editable


async def locked_draft(
    session: AsyncSession, caller: Caller, order_id: str, expected_version: int | None, *, lines: bool
) -> Order:
    """Lock the caller's draft and check version and status, or refuse (nothing changes)."""
    require(caller, Permission.EDIT_DRAFTS)
    order = await get_order(session, caller, order_id, lock=True)
    if order is None:
        raise not_found()
    if expected_version is not None and expected_version != order.version:
        raise Refusal(
            Problem(
                ErrorCode.VERSION_CONFLICT,
                f"the draft is at version {order.version}, not {expected_version}: reload it and retry",
                field=("expectedVersion",),
            ),
            value=order,
        )
    if not (lines_editable(order.status) if lines else details_editable(order.status)):
        raise Refusal(
            Problem(ErrorCode.ORDER_NOT_EDITABLE, f"a {order.status} order cannot be changed this way"), value=order
        )
    return order


async def reprice(
    session: AsyncSession,
    caller: Caller,
    order: Order,
    *,
    bump: bool = True,
    infos: Mapping[str, OfferInfo] | None = None,
) -> None:
    """Store today's prices and totals of a draft (through the pricing pipeline) and bump its version.
    `infos`: offers this unit of work already read for the caller (not read again)."""
    ev = (await evaluate(session, caller, [order], known_infos=infos))[order.id]
    await freeze(session, ev, bump=bump)
