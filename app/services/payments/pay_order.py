"""`payOrder(orderKey, paymentMethodId)`: pay a placed, unpaid order of the caller (AWAITING_PAYMENT, or
REFUSED after a refused attempt) with the same machinery as a checkout. The order stays placed: a redirect
method moves its payment status to AUTHORIZATION_PENDING until the callback (PAID or REFUSED)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from app.models import Order, utcnow
from app.services.access.caller import Caller
from app.services.checkout.checkout import CheckoutResult, paying_once
from app.services.checkout.methods import placed_content, usable_payment_method
from app.services.common.errors import ErrorCode, Problem
from app.services.common.outcome import Outcome, service
from app.services.orders.scope import find_order
from app.services.orders.states import OrderStatus, PaymentStatus, move_payment
from app.services.payments.attempts import start_payment
from app.services.payments.config import PaymentConfig
from app.services.payments.expiry import expire_due
from app.services.payments.states import MethodKind, Purpose

PAYABLE = (PaymentStatus.AWAITING_PAYMENT, PaymentStatus.REFUSED)


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
    if order.payment_status in (PaymentStatus.PAID, PaymentStatus.REFUNDED):
        return Outcome.refused(Problem(ErrorCode.ORDER_ALREADY_PAID, f"order {order.reference} is already paid"))
    if order.status != OrderStatus.PLACED or order.payment_status not in PAYABLE:
        why = (
            "a payment is in progress"
            if order.payment_status == PaymentStatus.AUTHORIZATION_PENDING
            else f"a {order.status} order cannot be paid"
        )
        return Outcome.refused(Problem(ErrorCode.ORDER_NOT_PAYABLE, why))
    method, problem = await usable_payment_method(
        session, caller, method_id, await placed_content(session, order), field=("paymentMethodId",)
    )
    if problem:
        return Outcome.refused(problem)
    assert method is not None
    await start_payment(session, order, method, purpose=Purpose.ORDER, config=config, return_url=return_url)
    redirect = method.kind == MethodKind.REDIRECT
    move_payment(order, PaymentStatus.AUTHORIZATION_PENDING if redirect else PaymentStatus.AWAITING_PAYMENT)
    order.updated_at = utcnow()
    return Outcome.done(order)
