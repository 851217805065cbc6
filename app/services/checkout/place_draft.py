"""`placeDraftOrder(id, input)`: the order-first entry point. Its own checks: the draft exists and is the
caller's, it is not placed already (placing a placed order answers that order, nothing reserved again), the
expected version; the rest is the one placement path (checkout/placement.py)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from app.models import utcnow
from app.services.checkout.placement import CheckoutResult, paying_once, place
from app.services.common.caller import Caller
from app.services.common.errors import ErrorCode, Problem
from app.services.common.outcome import Outcome, service
from app.services.orders.scope import get_order, not_found
from app.services.payments.config import PaymentConfig
from app.services.payments.expiry import expire_due
from app.services.rules.payment_states import Purpose
from app.services.rules.states import OrderStatus, is_placed, placeable


@service
async def place_draft(
    session: AsyncSession,
    caller: Caller,
    order_id: str,
    *,
    payment_method_id: str | None = None,
    idempotency_key: str | None = None,
    expected_version: int | None = None,
    payment: PaymentConfig | None = None,
    return_url: str | None = None,
) -> Outcome[CheckoutResult]:
    fingerprint = {
        "id": order_id,
        "paymentMethodId": payment_method_id,
        "expectedVersion": expected_version,
        "returnUrl": return_url,
    }

    async def work() -> Outcome:
        order = await get_order(session, caller, order_id, lock=True)
        if order is None:
            raise not_found()
        if order.status == OrderStatus.PAYMENT_PENDING:  # its payment may be overdue: expire it first
            await expire_due(session, utcnow(), order_id=order.id)
            order = await get_order(session, caller, order_id, lock=True)
            assert order is not None
        if is_placed(order.status) and order.placed_at is not None:
            return Outcome.done(order)  # already placed: same order, nothing reserved again
        if expected_version is not None and expected_version != order.version:
            message = f"the draft is at version {order.version}, not {expected_version}"
            return Outcome.refused(Problem(ErrorCode.VERSION_CONFLICT, message, field=("input", "expectedVersion")))
        if not placeable(order.status):
            return Outcome.refused(Problem(ErrorCode.ORDER_NOT_EDITABLE, f"a {order.status} order cannot be placed"))
        return await place(
            session,
            caller,
            order,
            purpose=Purpose.DRAFT,
            method_id=payment_method_id,
            config=payment,
            return_url=return_url,
        )

    return await paying_once(session, caller, idempotency_key, "placeDraftOrder", fingerprint, work)
