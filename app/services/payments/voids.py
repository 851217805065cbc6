"""Releasing what an order's authorized payments hold and was not captured: a cancellation (the whole order,
or a logistic order's share) and the sweep (an authorization older than GATEWAY_AUTHORIZATION_LIFETIME_SECONDS)
void through here. Each void is a VOID entry of the ledger, asked of the attempt's provider with the entry's
id as its idempotency key; the caller holds the order's row lock (payments/locking.py)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import and_, case, exists, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import Order, Payment, PaymentTransaction
from app.services.events import outbox
from app.services.payments import ledger
from app.services.payments.captures import capturable_by_payment
from app.services.payments.config import PaymentConfig
from app.services.payments.provider_calls import ask_provider, record_answer
from app.services.rules.payment_states import TransactionKind, TransactionStatus
from app.services.rules.states import PaymentStatus

K, T = TransactionKind, TransactionStatus
SWEEP_BATCH = 20


async def void_held(
    session: AsyncSession,
    order: Order,
    *,
    config: PaymentConfig,
    actor: str,
    reason: str,
    amount: int | None = None,
    logistic_order_id: str | None = None,
) -> list[PaymentTransaction]:
    """Void `amount` (default: everything still capturable) of the order's authorizations, oldest first.
    When nothing was ever captured and nothing is held any more, the order's payment status is VOIDED.
    Raises Refusal (PAYMENT_SERVICE_UNAVAILABLE) when a provider cannot be reached: nothing is written."""
    holding = capturable_by_payment((await ledger.transactions(session, [order.id]))[order.id])
    remaining = sum(holding.values()) if amount is None else amount
    written = []
    for payment_id, available in holding.items():
        take = min(available, remaining)
        if take <= 0:
            break
        payment = await session.get(Payment, payment_id)
        assert payment is not None
        tx = ledger.entry(
            order,
            K.VOID,
            take,
            status=T.PENDING,
            payment_id=payment_id,
            logistic_order_id=logistic_order_id,
            actor=actor,
            reason=reason,
        )
        session.add(tx)
        await ask_provider(session, order, payment, tx, "void", config)
        await record_answer(session, order, payment, tx, outbox.PAYMENT_VOIDED, actor=actor)
        remaining -= take
        written.append(tx)
    now = await ledger.follow(session, order)
    if now.captured == 0 and now.capturable == 0 and now.capture_pending == 0 and now.voided > 0:
        await ledger.set_status(session, order, PaymentStatus.VOIDED)
    return written


def stale_authorizations(now: datetime, lifetime: timedelta):  # noqa: ANN201 - a SQL condition
    """The one rule of an authorization past its lifetime: an order still holding capturable money whose
    successful authorization is older than the lifetime."""
    tx = PaymentTransaction
    signed = case(
        (and_(tx.kind == K.AUTHORIZATION, tx.status == T.SUCCEEDED), tx.amount),
        (and_(tx.kind == K.CAPTURE, tx.status != T.FAILED), -tx.amount),
        (and_(tx.kind == K.VOID, tx.status == T.SUCCEEDED), -tx.amount),
        else_=0,
    )
    held = select(func.coalesce(func.sum(signed), 0)).where(tx.order_id == Order.id).scalar_subquery()
    old = exists().where(
        tx.order_id == Order.id, tx.kind == K.AUTHORIZATION, tx.status == T.SUCCEEDED, tx.created_at <= now - lifetime
    )
    return and_(Order.payment_status.in_((PaymentStatus.AUTHORIZED, PaymentStatus.PARTIALLY_PAID)), old, held > 0)


async def void_stale(session: AsyncSession, now: datetime, lifetime: timedelta, config: PaymentConfig) -> int:
    """The sweep: void what old authorizations still hold (orders claimed with SKIP LOCKED on PostgreSQL, so
    several processes share the work). Returns the number of orders voided."""
    orders = list(
        await session.scalars(
            select(Order)
            .where(stale_authorizations(now, lifetime))
            .order_by(Order.id)
            .limit(SWEEP_BATCH)
            .with_for_update(skip_locked=True)
        )
    )
    done = 0
    for order in orders:
        voided = await void_held(
            session, order, config=config, actor="system", reason="the authorization was not captured in time"
        )
        done += bool(voided)
    return done
