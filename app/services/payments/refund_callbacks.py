"""A provider's callback about a refund it answered PENDING: verified by the provider adapter (a forged one
never gets here: HTTP 401), applied here once.

Locks: the order the callback names first (by its key), then the refund's row (FOR UPDATE). The order row
is what refundOrder holds while it asks the provider: a callback that arrives before that unit of work
commits waits for it here, instead of missing a refund it cannot see yet; everything that moves an order's
money serializes on that row (payments/locking.py), on any number of processes.

| Case | Answer | Effect |
|---|---|---|
| unknown refund (or not this provider's or account's) | 404 | none (the HTTP layer counts and logs it) |
| another order key, amount or currency | 400 | `REFUND_CALLBACK_REFUSED` on the order |
| the refund already settled the same way (a replay) | 200 "already processed" | none |
| the refund already settled the other way | 409 | `REFUND_CALLBACK_REFUSED` on the order |
| first time | 200 "processed" | SUCCEEDED (refunded, the order's payment status follows) or FAILED |

There is no age limit, unlike payment callbacks: a refund's outcome is one fact the provider states once
(and re-delivers while the gateway does not answer), so a late delivery is still the truth, and a replay is
answered without effect.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import Order, OrderEvent, Payment, PaymentTransaction
from app.services.common.errors import ErrorCode, Problem
from app.services.common.ids import valid_id
from app.services.common.money import to_decimal
from app.services.common.outcome import Outcome, service
from app.services.payments.providers import RefundCallbackEvent
from app.services.payments.refunds import settle_refund
from app.services.rules.payment_states import TransactionKind, TransactionStatus


@dataclass(frozen=True)
class RefundCallbackAnswer:
    http_status: int
    refund_status: str | None  # the refund's status after the callback (None: unknown refund)
    message: str


def _locked(query):  # noqa: ANN001, ANN202 - a select
    return query.with_for_update().execution_options(populate_existing=True)


@service
async def handle_refund_callback(
    session: AsyncSession, event: RefundCallbackEvent, *, provider: str, account: str | None = None
) -> Outcome[RefundCallbackAnswer]:
    """`account`: the provider account the callback was verified with (a Stripe tenant's own, None: the
    deployment's); a refund of an attempt in another account is unknown here."""
    orders = {
        o.id: o
        for o in await session.scalars(
            _locked(select(Order).where(Order.reference == event.order_key).order_by(Order.id))
        )
    }
    tx = None
    if valid_id(event.refund_id):
        tx = await session.scalar(
            _locked(
                select(PaymentTransaction).where(
                    PaymentTransaction.id == event.refund_id, PaymentTransaction.kind == TransactionKind.REFUND
                )
            )
        )
    attempt = await session.get(Payment, tx.payment_id) if tx is not None and tx.payment_id else None
    if tx is None or attempt is None or attempt.provider != provider or attempt.provider_account != account:
        return Outcome.refused(
            Problem(ErrorCode.NOT_FOUND, "no such refund"), value=RefundCallbackAnswer(404, None, "no such refund")
        )
    order = orders.get(tx.order_id)
    if order is None:  # the callback names another order: lock the refund's own, to record the refusal
        order = await session.scalar(_locked(select(Order).where(Order.id == tx.order_id)))
        assert order is not None  # payment_transactions.order_id is a RESTRICT foreign key

    def refused(message: str, http_status: int) -> Outcome[RefundCallbackAnswer]:
        session.add(
            OrderEvent(
                order_id=order.id,
                logistic_order_id=tx.logistic_order_id,
                type="REFUND_CALLBACK_REFUSED",
                actor=f"payment:{provider}",
                detail=f"refund {tx.id}, {event.status}: {message}",
            )
        )
        return Outcome.done(
            RefundCallbackAnswer(http_status, tx.status, message), errors=[Problem(ErrorCode.INVALID_INPUT, message)]
        )

    if event.order_key != order.reference:
        return refused("the order key does not match the refund's order", 400)
    if event.amount != tx.amount or event.currency != tx.currency:
        expected = f"{to_decimal(tx.amount)} {tx.currency}"
        return refused(f"the amount or currency differs from the refund's ({expected})", 400)
    if tx.status != TransactionStatus.PENDING:
        if tx.status == event.status:
            return Outcome.done(RefundCallbackAnswer(200, tx.status, "already processed"))  # a replay
        return refused(f"the refund is already {tx.status}", 409)
    await settle_refund(
        session,
        order,
        tx,
        TransactionStatus(event.status),
        actor=f"payment:{provider}",
        reference=event.reference,
        failure=event.failure,
    )
    return Outcome.done(RefundCallbackAnswer(200, tx.status, "processed"))
