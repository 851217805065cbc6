"""cancelPayment(orderKey): the buyer gives up a redirect payment in progress instead of waiting for it to
expire (GATEWAY_PAYMENT_TIMEOUT_SECONDS, 15 minutes by default).

The attempt ends as CANCELED through the one settle path (app/services/payments/settlement.py), so it means
exactly what a refusal means today:
- an order waiting for its payment (PAYMENT_PENDING: checkoutCart, createOrderFromCart, placeDraftOrder) is
  the draft again, its stock released and its vouchers given back; from the cart, it is the cart again;
- a placed order paid with payOrder (PLACED, AUTHORIZATION_PENDING) stays placed, its payment
  AWAITING_PAYMENT again (payable anew).

The sandbox provider is not told (it has no cancel call): its callback for the attempt, if the buyer still
decides on its page, finds the attempt ended and is refused with HTTP 409 (settle's conditional UPDATE and the
callback's check), changing nothing. A Stripe attempt's PaymentIntent is canceled at Stripe after the commit
(services/payments/releases.py); money the buyer paid in the race is given back.

Idempotent: when the order's latest attempt is already CANCELED, the answer is the order as it is, without
error. An overdue attempt expires first (its end is EXPIRED, not CANCELED): nothing is left to cancel.
Locks are taken in the callback's order (the attempt, then the order), so a cancel and a callback at the
same moment serialize instead of deadlocking; whichever comes first ends the attempt.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import Order, Payment, utcnow
from app.services.common.caller import Caller
from app.services.common.errors import ErrorCode, Problem
from app.services.common.outcome import Outcome, service
from app.services.orders.scope import find_order
from app.services.payments.expiry import expire_due
from app.services.payments.settlement import settle
from app.services.rules.payment_states import AttemptStatus, Purpose
from app.services.rules.states import OrderStatus, PaymentStatus


@dataclass(frozen=True)
class Canceled:
    order: Order
    payment: Payment


def _awaits_its_payment(order: Order, payment: Payment) -> bool:
    """The attempt is the one the order waits for: held for it (not placed yet), or a placed order's redirect
    payment (AUTHORIZATION_PENDING). A direct method's attempt (bank wire) is no redirect in progress."""
    if payment.purpose == Purpose.ORDER:
        return order.status == OrderStatus.PLACED and order.payment_status == PaymentStatus.AUTHORIZATION_PENDING
    return order.status == OrderStatus.PAYMENT_PENDING


@service
async def cancel_payment(session: AsyncSession, caller: Caller, order_key: str) -> Outcome[Canceled]:
    field = ("orderKey",)
    order = await find_order(session, caller, order_key)
    if order is None:
        return Outcome.refused(Problem(ErrorCode.NOT_FOUND, "order not found", field=field))
    await expire_due(session, utcnow(), order_id=order.id)
    payment = await session.scalar(
        select(Payment)
        .where(Payment.order_id == order.id)
        .order_by(Payment.created_at.desc(), Payment.id.desc())
        .limit(1)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    order = await find_order(session, caller, order.id, lock=True)
    assert order is not None  # found above, and orders are never deleted while they have attempts
    if payment is not None and payment.status == AttemptStatus.CANCELED:
        return Outcome.done(Canceled(order, payment))  # canceled already: the same answer, nothing changes
    if payment is None or payment.status != AttemptStatus.PENDING or not _awaits_its_payment(order, payment):
        state = "no payment was started" if payment is None else f"its latest payment is {payment.status}"
        message = f"no payment of this order is in progress ({state})"
        return Outcome.refused(Problem(ErrorCode.PAYMENT_NOT_PENDING, message, field=field))
    detail = f"canceled by the buyer ({payment.method_code})"
    await settle(session, payment, order, AttemptStatus.CANCELED, actor=caller.user_email or "buyer", detail=detail)
    return Outcome.done(Canceled(order, payment))
