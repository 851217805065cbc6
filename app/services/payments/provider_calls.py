"""Asking an attempt's provider to capture, void or refund one ledger entry, and recording its answer: the one
way every money operation after the payment talks to a provider."""

from __future__ import annotations

from typing import Literal

from sqlalchemy.ext.asyncio import AsyncSession

from app.models import Order, OrderEvent, Payment, PaymentTransaction, utcnow
from app.services.common.errors import ErrorCode, Problem, Refusal
from app.services.common.money import to_decimal
from app.services.events import outbox
from app.services.payments.config import PaymentConfig
from app.services.payments.providers import MoneyRequest, ProviderUnavailable, provider_for
from app.services.rules.payment_states import TransactionStatus as T

Operation = Literal["capture", "void", "refund"]
_DONE = {"capture": "captured", "void": "voided", "refund": "refunded"}


async def ask_provider(
    session: AsyncSession,
    order: Order,
    payment: Payment,
    tx: PaymentTransaction,
    operation: Operation,
    config: PaymentConfig,
    *,
    callback_url: str | None = None,
) -> None:
    """Ask `payment`'s provider to do `operation` for `tx` (a PENDING entry, already added to the session),
    with the entry's id as the provider's idempotency key, and write its answer on the entry (SUCCEEDED or
    FAILED, or still PENDING until a callback). An unreachable provider refuses the unit of work: nothing
    written stays."""
    await session.flush()  # the entry's id
    provider = provider_for(payment.provider or "direct", config.reaching(payment.next_step), payment.provider_account)
    request = MoneyRequest(
        tx.id, payment.provider_reference, order.reference, tx.amount, order.currency, tx.reason, callback_url
    )
    try:
        answer = await getattr(provider, operation)(request)
    except ProviderUnavailable as exc:
        message = f"the payment service is unavailable ({exc}): nothing was {_DONE[operation]}, try again"
        raise Refusal(Problem(ErrorCode.PAYMENT_SERVICE_UNAVAILABLE, message)) from None
    tx.provider_reference, tx.failure = answer.reference, answer.failure
    if answer.status != T.PENDING:
        tx.status, tx.settled_at = answer.status, utcnow()


async def record_answer(
    session: AsyncSession, order: Order, payment: Payment, tx: PaymentTransaction, event_type: str, *, actor: str
) -> None:
    """The order event of an entry's answer (`PAYMENT_CAPTURED`, or `CAPTURE_FAILED` / `CAPTURE_PENDING`...)
    and, once it succeeded, its webhook (`event_type`, with the entry)."""
    kind = tx.kind.lower()
    ok = tx.status == T.SUCCEEDED
    verb = (
        {"capture": "captured", "void": "released", "refund": "refunded"}.get(kind, kind)
        if ok
        else (f"{kind} {tx.status.lower()}")
    )
    session.add(
        OrderEvent(
            order_id=order.id,
            logistic_order_id=tx.logistic_order_id,
            type=f"PAYMENT_{_DONE.get(kind, kind).upper()}" if ok else f"{tx.kind}_{tx.status}",
            actor=actor,
            detail=f"{to_decimal(tx.amount)} {order.currency} {verb} ({payment.method_code})"
            + (f": {tx.reason}" if tx.reason else ""),
        )
    )
    if ok:
        await outbox.emit_order(session, event_type, order, transaction=outbox.transaction_snapshot(tx))
