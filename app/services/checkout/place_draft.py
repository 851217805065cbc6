"""`placeDraftOrder(id, input)`: the order-first entry point. Its own checks: the draft exists and is the
caller's, it is not placed already (placing a placed order answers that order, nothing reserved again), the
expected version; the rest is the one placement path (checkout/placement.py)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from app.models import utcnow
from app.services.checkout.placement import CheckoutResult, PaymentRequest, paying_once, place
from app.services.common.caller import Caller
from app.services.common.errors import ErrorCode, Problem
from app.services.common.outcome import Outcome, service
from app.services.orders.scope import get_order, not_found
from app.services.payments.config import PaymentConfig
from app.services.payments.expiry import expire_due
from app.services.rules.payment_states import Purpose
from app.services.rules.states import OrderStatus, is_placed, placeable


@dataclass(frozen=True, kw_only=True)
class PlaceDraftInput(PaymentRequest):
    order_id: str
    expected_version: int | None = None


@service
async def place_draft(
    session: AsyncSession, caller: Caller, inp: PlaceDraftInput, *, payment: PaymentConfig | None = None
) -> Outcome[CheckoutResult]:
    return await paying_once(session, caller, "placeDraftOrder", inp, lambda: _place(session, caller, inp, payment))


async def _place(session: AsyncSession, caller: Caller, inp: PlaceDraftInput, config: PaymentConfig | None) -> Outcome:
    order = await get_order(session, caller, inp.order_id, lock=True)
    if order is None:
        raise not_found()
    if order.status == OrderStatus.PAYMENT_PENDING:  # its payment may be overdue: expire it first
        await expire_due(session, utcnow(), order_id=order.id)
        order = await get_order(session, caller, inp.order_id, lock=True)
        assert order is not None
    if is_placed(order.status) and order.placed_at is not None:
        return Outcome.done(order)  # already placed: same order, nothing reserved again
    if inp.expected_version is not None and inp.expected_version != order.version:
        message = f"the draft is at version {order.version}, not {inp.expected_version}"
        return Outcome.refused(Problem(ErrorCode.VERSION_CONFLICT, message, field=("input", "expectedVersion")))
    if not placeable(order.status):
        return Outcome.refused(Problem(ErrorCode.ORDER_NOT_EDITABLE, f"a {order.status} order cannot be placed"))
    return await place(session, caller, order, inp, purpose=Purpose.DRAFT, config=config)
