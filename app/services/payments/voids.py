"""Releasing what a provider holds for an order and nobody took (a VOID), for cancellations: the whole
order's, or a canceled or declined logistic order's share.

Each attempt holding money (`OrderMoney.held`, oldest first) is asked to release its part, inside the unit of
work (unreachable: PAYMENT_SERVICE_UNAVAILABLE, nothing written), with a transaction id derived from the
cancellation (the provider's idempotency key). A SUCCEEDED void lowers what can be captured at once
(`payment.voided`, a PAYMENT_VOIDED event); a provider that refuses it leaves a FAILED entry and the amount
held (it lapses at the provider). The order's payment status is the caller's: VOIDED when nothing was
captured and nothing is held any more.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import and_, case, exists, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import Order, OrderEvent, PaymentTransaction
from app.services.common.errors import ErrorCode, Problem, Refusal
from app.services.common.money import to_decimal
from app.services.events import outbox
from app.services.payments import ledger
from app.services.payments.config import PaymentConfig
from app.services.payments.providers import MoneyRequest, ProviderUnavailable
from app.services.payments.refunds import derived_id, payments_of, refund_provider
from app.services.payments.shares import OrderMoney, order_money
from app.services.rules.payment_states import TransactionKind, TransactionStatus
from app.services.rules.states import PaymentStatus

T = TransactionStatus


async def void_held(
    session: AsyncSession,
    order: Order,
    money: OrderMoney,
    amount: int,
    *,
    reason: str | None,
    actor: str,
    config: PaymentConfig,
    seed: tuple[str, ...],
    logistic_order_id: str | None = None,
) -> list[PaymentTransaction]:
    """Release `amount` of what the order's attempts hold (at most what they hold); the caller holds the
    order's lock."""
    parts: list[tuple[str, int]] = []
    left = amount
    for held in money.held:
        take = min(left, held.capturable)
        if take > 0:
            parts.append((held.payment_id, take))
            left -= take
    if not parts:
        return []
    attempts = await payments_of(session, [pid for pid, _ in parts])
    txs = []
    for i, (payment_id, take) in enumerate(parts):
        attempt = attempts[payment_id]
        tx = ledger.entry(
            order,
            TransactionKind.VOID,
            take,
            status=T.PENDING,
            payment_id=payment_id,
            logistic_order_id=logistic_order_id,
            reason=reason,
            actor=actor,
        )
        tx.id = derived_id(order.id, *seed, "void", str(i))
        try:
            provider = refund_provider(attempt, config)
            answer = await provider.void(
                MoneyRequest(
                    transaction_id=tx.id,
                    payment_reference=attempt.provider_reference,
                    order_key=order.reference,
                    amount=take,
                    currency=order.currency,
                    reason=reason,
                )
            )
        except ProviderUnavailable as exc:
            message = f"the payment service could not release the authorization: {exc}; nothing was changed"
            raise Refusal(Problem(ErrorCode.PAYMENT_SERVICE_UNAVAILABLE, message)) from None
        tx.status, tx.provider_reference = answer.status, answer.reference
        if answer.status != T.PENDING:
            tx.settled_at = tx.created_at
        if answer.status == T.FAILED:
            tx.failure = answer.failure or "refused by the payment service"
        session.add(tx)
        txs.append(tx)
        held = f"{to_decimal(take)} {order.currency}"
        if answer.status == T.SUCCEEDED:
            detail = f"{held} released"
            await outbox.emit_order(session, outbox.PAYMENT_VOIDED, order, transaction=outbox.transaction_snapshot(tx))
        else:
            detail = f"{held} not released ({answer.status}): {tx.failure or 'the provider settles it later'}"
        session.add(
            OrderEvent(
                order_id=order.id,
                logistic_order_id=logistic_order_id,
                type="PAYMENT_VOIDED" if answer.status == T.SUCCEEDED else "PAYMENT_VOID_FAILED",
                actor=actor,
                detail=detail,
            )
        )
    await session.flush()
    return txs


# ---- the sweep: authorizations past GATEWAY_AUTHORIZATION_LIFETIME_SECONDS ----------------------------------

SWEEP_BATCH = 20


def stale_authorizations(now: datetime, lifetime: timedelta):  # noqa: ANN201 - a SQL condition
    """The one rule of an authorization past its lifetime: an order still holding capturable money whose
    successful authorization is older than the lifetime."""
    tx = PaymentTransaction
    k = TransactionKind
    signed = case(
        (and_(tx.kind == k.AUTHORIZATION, tx.status == T.SUCCEEDED), tx.amount),
        (and_(tx.kind == k.CAPTURE, tx.status != T.FAILED), -tx.amount),
        (and_(tx.kind == k.VOID, tx.status == T.SUCCEEDED), -tx.amount),
        else_=0,
    )
    held = select(func.coalesce(func.sum(signed), 0)).where(tx.order_id == Order.id).scalar_subquery()
    old = exists().where(
        tx.order_id == Order.id, tx.kind == k.AUTHORIZATION, tx.status == T.SUCCEEDED, tx.created_at <= now - lifetime
    )
    return and_(Order.payment_status.in_((PaymentStatus.AUTHORIZED, PaymentStatus.PARTIALLY_PAID)), old, held > 0)


async def void_stale(session: AsyncSession, now: datetime, lifetime: timedelta, config: PaymentConfig) -> int:
    """The sweep: void what old authorizations still hold (orders claimed with SKIP LOCKED on PostgreSQL, so
    several processes share the work), through the same `void_held` as cancellations. Returns the number of
    orders voided."""
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
        money = await order_money(session, order)
        held = (await ledger.balance(session, order.id)).capturable
        voided = await void_held(
            session,
            order,
            money,
            held,
            reason="the authorization was not captured in time",
            actor="system",
            config=config,
            seed=("expired", now.isoformat()),
        )
        after = await ledger.follow(session, order)
        if after.captured == 0 and after.capturable == 0 and after.voided > 0:
            await ledger.set_status(session, order, PaymentStatus.VOIDED)
        done += bool(voided)
    return done
