"""`payOrder(orderKey, paymentMethodId)`: pay a placed, unpaid order of the caller (AWAITING_PAYMENT, or
REFUSED after a refused attempt). Its own check: the order exists and is the caller's; the rest is the one
placement path (checkout/placement.py), which keeps the order PLACED and moves its payment status to
AUTHORIZATION_PENDING (redirect) until the callback (PAID or REFUSED)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from app.models import Order, utcnow
from app.services.checkout.placement import CheckoutResult, payability_problem, paying_once, place
from app.services.common.caller import Caller
from app.services.common.errors import ErrorCode, Problem
from app.services.common.outcome import Outcome, service
from app.services.orders.scope import find_order
from app.services.payments.config import PaymentConfig
from app.services.payments.expiry import expire_due
from app.services.rules.payment_states import Purpose
from app.services.rules.states import is_placed


@service
async def pay_order(
    session: AsyncSession,
    caller: Caller,
    order_key: str,
    payment_method_id: str,
    *,
    payment: PaymentConfig,
    return_url: str | None = None,
    idempotency_key: str | None = None,
) -> Outcome[CheckoutResult]:
    fingerprint = {"orderKey": order_key, "paymentMethodId": payment_method_id, "returnUrl": return_url}
    return await paying_once(
        session,
        caller,
        idempotency_key,
        "payOrder",
        fingerprint,
        lambda: _pay(session, caller, order_key, payment_method_id, payment, return_url),
    )


async def _pay(
    session: AsyncSession,
    caller: Caller,
    order_key: str,
    method_id: str,
    config: PaymentConfig,
    return_url: str | None,
) -> Outcome[Order]:
    order = await find_order(session, caller, order_key)
    if order is None:
        return Outcome.refused(Problem(ErrorCode.NOT_FOUND, "order not found", field=("orderKey",)))
    await expire_due(session, utcnow(), order_id=order.id)
    order = await find_order(session, caller, order_key, lock=True)
    assert order is not None
    if not is_placed(order.status):  # a draft, or one waiting for its payment: placeDraftOrder places it
        problem = payability_problem(order)
        assert problem is not None
        return Outcome.refused(problem)
    return await place(
        session,
        caller,
        order,
        purpose=Purpose.ORDER,
        method_id=method_id,
        config=config,
        return_url=return_url,
        method_field=("paymentMethodId",),
    )
