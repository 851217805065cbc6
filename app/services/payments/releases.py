"""What a provider still holds open for an attempt that ended early, released after the commit that ended it.

A Stripe attempt that ends without being paid (the order canceled while its payment is pending, the buyer's
cancelPayment, a new attempt replacing it, a refusal, an expiry) leaves a PaymentIntent the buyer's page could
still confirm. Its end (`settlement.settle`) marks the attempt `release_due_at` in the same transaction: an
outbox on the attempt's own row, so the release is never sent before that commit and never lost after it.
After the commit, `release_due` cancels the intent at Stripe (with the attempt's own account) and clears the
mark: right away in the process that committed (its sweep wakes, `wakeup`; the Stripe webhook route releases
a refusal itself), else at the next sweep of any process (rows claimed FOR UPDATE SKIP LOCKED). Stripe
unreachable: tried again a minute later. An intent the buyer managed to pay in the meantime is given back
(`StripeProvider.give_back`: a hold canceled, a payment refunded, keyed `give-back-<intent>` as the webhook's
own safety net is, so that the two never refund twice).
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import event, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from app.models import Payment, PaymentEvent
from app.services.events.notify import PAYMENTS, notify
from app.services.payments.config import PaymentConfig
from app.services.payments.providers import ProviderUnavailable

RELEASE_BATCH = 20
RETRY_AFTER = timedelta(minutes=1)
_DUE = "payment_releases_due"

# Set after a commit that made a release due: the sweep of this process releases it at once (app/sweeper.py).
wakeup: asyncio.Event | None = None


def releases_at_end(payment: Payment) -> bool:
    """Whether an attempt's provider keeps something open when the attempt ends unpaid: a Stripe PaymentIntent.
    (The sandbox's pages refuse a payment after the end through their callback, and direct attempts have
    nothing at a provider.)"""
    return payment.provider == "stripe" and bool(payment.provider_reference)


async def mark_due(session: AsyncSession, payment: Payment, now: datetime) -> None:
    """In the transaction that ends the attempt (its row is written by the caller): due at its commit."""
    payment.release_due_at = now
    session.sync_session.info[_DUE] = True
    await notify(session, PAYMENTS)  # the sweeps of the other processes (PostgreSQL)


@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    if session.info.pop(_DUE, None) and wakeup is not None:
        wakeup.set()


@event.listens_for(Session, "after_rollback")
def _after_rollback(session: Session) -> None:
    session.info.pop(_DUE, None)


def due(now: datetime):  # noqa: ANN201 - a SQL condition
    return Payment.release_due_at <= now


async def release_due(
    session: AsyncSession, now: datetime, config: PaymentConfig, *, payment_ids: Sequence[str] | None = None
) -> int:
    """Release what is due (of these attempts, or any), each attempt claimed with its row lock (SKIP LOCKED:
    several processes share the work); the number released. Each outcome is a PaymentEvent `RELEASED`."""
    import stripe  # the SDK, imported when used

    from app.services.payments.stripe_provider import StripeProvider, failure_of

    query = select(Payment).where(due(now))
    if payment_ids is not None:
        query = query.where(Payment.id.in_(list(payment_ids)))
    claimed = list(
        await session.scalars(
            query.order_by(Payment.release_due_at, Payment.id)
            .limit(RELEASE_BATCH)
            .with_for_update(skip_locked=True)
            .execution_options(populate_existing=True)
        )
    )
    released = 0
    for payment in claimed:
        if not releases_at_end(payment):
            payment.release_due_at = None
            continue
        provider = StripeProvider(config, payment.provider_account)
        assert payment.provider_reference is not None
        try:
            done = await provider.give_back(payment.provider_reference)
            detail = f"PaymentIntent {payment.provider_reference}: {done} at Stripe"
        except ProviderUnavailable:
            payment.release_due_at = now + RETRY_AFTER
            continue
        except stripe.StripeError as exc:  # refused (already refunded, say): nothing more to do
            detail = f"PaymentIntent {payment.provider_reference}: refused by Stripe ({failure_of(exc)})"
        payment.release_due_at = None
        session.add(PaymentEvent(payment_id=payment.id, type="RELEASED", detail=detail))
        released += 1
    await session.flush()
    return released
