"""The transactional outbox: events written in the same transaction as the change they describe.

`emit` is the one way in. It inserts the event and, in the same statement batch, one pending delivery per
active webhook subscription of the store that wants this event type; the commit of the change commits
both, a rollback drops both. The dispatcher (app/dispatcher.py) delivers after commit, so nothing is lost
if the process dies in between. On PostgreSQL, an event that made deliveries also sends a NOTIFY in the same
transaction (services/events/notify.py): every process's dispatcher wakes at the commit, not at its next poll.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Any

from sqlalchemy import event, insert, literal, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from app.models import (
    LogisticOrder,
    Order,
    OutboxEvent,
    PaymentTransaction,
    WebhookDelivery,
    WebhookSubscription,
    new_id,
    utcnow,
)
from app.models.base import UTCDateTime
from app.services.events.notify import OUTBOX, notify

ORDER_PLACED = "order.placed"
ORDER_PAID = "order.paid"  # a payment approved (payments/settlement.py)
PAYMENT_REFUSED = "order.payment_refused"  # a payment refused by its provider (not an expiry)
ORDER_CANCELED = "order.canceled"
LOGISTIC_STATUS_CHANGED = "logistic_order.status_changed"
DRAFT_DELETED = "draft_order.deleted"
# The ledger (payments/ledger.py): each carries the order and the `transaction` it is about.
PAYMENT_AUTHORIZED = "payment.authorized"  # a MANUAL-capture payment approved: the amount is held, not taken
PAYMENT_RECEIVED = "payment.received"  # an operator recorded money received (recordPayment)
PAYMENT_CAPTURED = "payment.captured"
PAYMENT_VOIDED = "payment.voided"
PAYMENT_REFUNDED = "payment.refunded"
PAYMENT_REFUND_FAILED = "payment.refund_failed"
EVENT_TYPES = (
    ORDER_PLACED,
    ORDER_PAID,
    PAYMENT_REFUSED,
    ORDER_CANCELED,
    LOGISTIC_STATUS_CHANGED,
    DRAFT_DELETED,
    PAYMENT_AUTHORIZED,
    PAYMENT_RECEIVED,
    PAYMENT_CAPTURED,
    PAYMENT_VOIDED,
    PAYMENT_REFUNDED,
    PAYMENT_REFUND_FAILED,
)
ORDER_SHIPPED = "order.shipped"  # a shipment recorded (shipping/shipments.py): payload `shipment`
ORDER_RETURNED = "order.returned"  # a return recorded (shipping/returns.py): payload `return`
EVENT_TYPES += (ORDER_SHIPPED, ORDER_RETURNED)
# The approval flow (approvals/flow.py, docs/b2b.md): payload `parts` (supplier ids) and `comment`.
ORDER_APPROVAL_REQUESTED = "order.approval_requested"
ORDER_APPROVED = "order.approved"
ORDER_REJECTED = "order.rejected"
EVENT_TYPES += (ORDER_APPROVAL_REQUESTED, ORDER_APPROVED, ORDER_REJECTED)

_PENDING_KEY = "outbox_emitted"
# Set after a commit that emitted: the in-process dispatcher delivers at once instead of at its next poll.
wakeup: asyncio.Event | None = None


async def emit(
    session: AsyncSession,
    *,
    tenant_id: str,
    event_type: str,
    payload: dict[str, Any],
    store_id: str | None = None,
    aggregate_id: str | None = None,
) -> str:
    """Record an event (and its deliveries) in the caller's transaction. Returns the event id."""
    event_id, now = new_id(), utcnow()
    await session.execute(
        insert(OutboxEvent).values(
            id=event_id,
            tenant_id=tenant_id,
            store_id=store_id,
            event_type=event_type,
            aggregate_id=aggregate_id,
            payload=payload,
            created_at=now,
        )
    )
    sub = WebhookSubscription
    subscribers = select(
        literal(event_id),
        sub.id,
        literal(aggregate_id),
        literal("PENDING"),
        literal(0),
        literal(now, UTCDateTime()),
        literal(now, UTCDateTime()),
    ).where(
        sub.tenant_id == tenant_id,
        sub.store_id == store_id,
        sub.active.is_(True),
        or_(sub.event_types.contains(f",{event_type},"), sub.event_types == ",*,"),
    )
    columns = ["event_id", "subscription_id", "aggregate_id", "status", "attempts", "next_attempt_at", "created_at"]
    inserted = await session.execute(insert(WebhookDelivery).from_select(columns, subscribers))
    if inserted.rowcount:  # a subscriber wants it: the dispatchers of every process wake at the commit
        await notify(session, OUTBOX)
    session.sync_session.info.setdefault(_PENDING_KEY, []).append(event_type)
    return event_id


async def emit_order(
    session: AsyncSession,
    event_type: str,
    order: Order,
    *,
    logistic: Sequence[LogisticOrder] | None = None,
    **detail: Any,
) -> str:
    """`emit` with the order's snapshot as payload (one more SELECT for its logistic orders, unless the caller
    has them at hand, as placement does)."""
    if logistic is None:
        logistic = (
            await session.scalars(
                select(LogisticOrder).where(LogisticOrder.order_id == order.id).order_by(LogisticOrder.id)
            )
        ).all()
    payload = {"order": order_snapshot(order, sorted(logistic, key=lambda lo: lo.id)), **detail}
    return await emit(
        session,
        tenant_id=order.tenant_id,
        store_id=order.store_id,
        aggregate_id=order.id,
        event_type=event_type,
        payload=payload,
    )


def order_snapshot(order: Order, logistic: list[LogisticOrder]) -> dict[str, Any]:
    return {
        "id": order.id,
        "reference": order.reference,
        "status": order.status,
        "paymentStatus": order.payment_status,
        "accountId": order.account_id,
        "storeId": order.store_id,
        "currency": order.currency,
        "totals": {
            "subtotal": order.subtotal_amount,
            "shipping": order.shipping_amount,
            "tax": order.tax_amount,
            "discount": order.discount_amount,
            "total": order.total_amount,
        },
        "customerReference": order.customer_reference,
        "placedAt": order.placed_at.isoformat() if order.placed_at else None,
        "canceledAmount": order.canceled_amount,
        "cancelReason": order.cancel_reason,
        "logisticOrders": [
            {
                "id": lo.id,
                "reference": lo.reference,
                "supplierId": lo.supplier_id,
                "status": lo.status,
                "paymentStatus": lo.payment_status,
                "incident": lo.incident,
                "total": lo.total_amount,
            }
            for lo in logistic
        ],
    }


@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    emitted = session.info.pop(_PENDING_KEY, None)
    if not emitted:
        return
    from app.observability.metrics import OUTBOX_EVENTS

    for event_type in emitted:
        OUTBOX_EVENTS.labels(event_type).inc()
    if wakeup is not None:
        wakeup.set()


@event.listens_for(Session, "after_rollback")
def _after_rollback(session: Session) -> None:
    session.info.pop(_PENDING_KEY, None)


def transaction_snapshot(tx: PaymentTransaction) -> dict[str, Any]:
    """A ledger entry as webhooks carry it (amounts in minor units)."""
    return {
        "id": tx.id,
        "kind": tx.kind,
        "status": tx.status,
        "amount": tx.amount,
        "shippingAmount": tx.shipping_amount,
        "currency": tx.currency,
        "paymentId": tx.payment_id,
        "logisticOrderId": tx.logistic_order_id,
        "providerReference": tx.provider_reference,
        "reason": tx.reason,
        "failure": tx.failure,
    }
