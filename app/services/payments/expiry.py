"""Pending payments expire after GATEWAY_PAYMENT_TIMEOUT_SECONDS: checked when the buyer's cart or orders
are touched, and by a periodic sweep in `serve`. Safe with several processes: rows are claimed with
FOR UPDATE SKIP LOCKED on PostgreSQL (SQLite serializes writers), and `settle` ends an attempt only once."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import and_, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import Order, Payment
from app.services.payments.config import PaymentConfig
from app.services.payments.settlement import settle
from app.services.payments.stripe_events import not_stripe, reconcile
from app.services.rules.payment_states import AttemptStatus

SWEEP_BATCH = 50


def overdue(now: datetime):  # noqa: ANN201 - a SQL condition
    """The one rule of an attempt past its time: still pending, its expiry reached."""
    return and_(Payment.status == AttemptStatus.PENDING, Payment.expires_at <= now)


async def expire_due(
    session: AsyncSession,
    now: datetime,
    *,
    user_id: str | None = None,
    order_id: str | None = None,
    config: PaymentConfig | None = None,
) -> int:
    """Expire the pending attempts past their time (of one user's orders, or one order, or all). A Stripe
    attempt is reconciled instead (what Stripe says of its PaymentIntent ends it: `stripe_events.reconcile`),
    by a caller that has the Stripe configuration (the sweep); others leave it to the sweep."""
    query = select(Payment, Order).join(Order, Order.id == Payment.order_id).where(overdue(now))
    if config is None or not config.has_stripe:
        query = query.where(not_stripe())
    if user_id is not None:
        query = query.where(Order.user_id == user_id)
    if order_id is not None:
        query = query.where(Order.id == order_id)
    rows = (
        await session.execute(query.order_by(Payment.expires_at).limit(SWEEP_BATCH).with_for_update(skip_locked=True))
    ).all()
    expired = 0
    for payment, order in rows:
        if payment.provider == "stripe":
            assert config is not None
            expired += await reconcile(session, payment, order, config)
            continue
        detail = f"no answer from the payment service within the time allowed ({payment.method_code})"
        expired += await settle(session, payment, order, AttemptStatus.EXPIRED, actor="system", detail=detail)
    return expired
