"""A provider's callback about an attempt: verified by the provider adapter, applied here once.

Callbacks of one payment serialize on its row (SELECT ... FOR UPDATE; SQLite's single writer does the same),
so two deliveries at once give one effect, with any number of gateway processes. A replay of a processed
callback answers as the first did and changes nothing; a stale one (timestamp more than 5 minutes away), one
for another order or amount, and one after the attempt expired are refused and recorded on the attempt: that
outcome commits with its error.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import Order, Payment, PaymentEvent
from app.services.common.errors import ErrorCode, Problem
from app.services.common.ids import valid_id
from app.services.common.outcome import Outcome, service
from app.services.payments.providers import CallbackEvent
from app.services.payments.settlement import settle
from app.services.rules.payment_states import AttemptStatus

MAX_AGE_SECONDS = 300


@dataclass(frozen=True)
class CallbackAnswer:
    http_status: int
    payment_status: str | None
    message: str


@service
async def handle_callback(
    session: AsyncSession, event: CallbackEvent, *, provider: str, now: datetime, expire_first: bool = True
) -> Outcome[CallbackAnswer]:
    """Apply the callback. `expire_first=False` (Stripe): an attempt past its time but still pending takes the
    provider's answer, as the reconciliation would (the money is real, the stock still held)."""
    payment = None
    if valid_id(event.payment_id):
        payment = await session.scalar(
            select(Payment)
            .where(Payment.id == event.payment_id, Payment.provider == provider)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
    if payment is None:
        return Outcome.refused(
            Problem(ErrorCode.NOT_FOUND, "no such payment"), value=CallbackAnswer(404, None, "no such payment")
        )
    order = await session.scalar(
        select(Order).where(Order.id == payment.order_id).with_for_update().execution_options(populate_existing=True)
    )
    assert order is not None  # payments.order_id is a RESTRICT foreign key

    def refused(kind: str, message: str, http_status: int) -> Outcome[CallbackAnswer]:
        session.add(PaymentEvent(payment_id=payment.id, type=kind, detail=f"{event.status}: {message}"))
        return Outcome.done(
            CallbackAnswer(http_status, payment.status, message), errors=[Problem(ErrorCode.INVALID_INPUT, message)]
        )

    if event.order_key != order.reference:
        return refused("CALLBACK_REFUSED", "the order key does not match the payment", 400)
    same_amount = event.amount == payment.amount and event.currency == payment.currency
    if payment.status == event.status and same_amount:
        return Outcome.done(CallbackAnswer(200, payment.status, "already processed"))  # a replay: nothing changes
    if abs(now.timestamp() - event.timestamp) > MAX_AGE_SECONDS:
        return refused("CALLBACK_REFUSED", "the callback is older than 5 minutes (or from the future)", 400)
    if not same_amount:
        return refused("CALLBACK_REFUSED", "the amount or currency differs from the payment's", 400)
    overdue = payment.expires_at is not None and payment.expires_at <= now
    if expire_first and payment.status == AttemptStatus.PENDING and overdue:
        detail = "no answer from the payment service within the time allowed"
        await settle(session, payment, order, AttemptStatus.EXPIRED, actor="system", detail=detail)
    if payment.status != AttemptStatus.PENDING:
        return refused("CALLBACK_AFTER_END", f"the payment is already {payment.status}", 409)
    to = AttemptStatus(event.status)
    await settle(session, payment, order, to, actor=f"payment:{provider}", detail=f"{provider} callback")
    return Outcome.done(CallbackAnswer(200, to.value, "processed"))
