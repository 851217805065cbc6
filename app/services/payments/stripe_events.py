"""A verified Stripe webhook event, applied once by its id, and the reconciliation of Stripe attempts whose
webhook never came.

Each event is recorded in `provider_events` (unique by provider and event id) in the unit of work that applies
it: a redelivery or a replay finds the record and answers 200 without effect. The record is looked up after
the rows the event moves are locked (the payment, or the refund's order, as the callbacks take them), so two
deliveries of one event at once give one effect; the unique constraint backs that up. Events out of order are
harmless: `payment_intent.succeeded` after `amount_capturable_updated` (a MANUAL attempt, then its capture)
finds the attempt APPROVED already (a replay for the callback), a `payment_intent.canceled` that follows the
gateway's own void finds nothing pending, and a refund event finds its refund settled the same way.

- `payment_intent.succeeded`, `payment_intent.amount_capturable_updated`: the attempt APPROVED (the order
  PAID, or AUTHORIZED for a MANUAL method);
- `payment_intent.payment_failed`: the attempt REFUSED (a checkout's cart back), the intent canceled at Stripe;
- `payment_intent.canceled`: a still pending attempt REFUSED;
- `refund.created`, `refund.updated`, `refund.failed`, `charge.refund.updated`, `charge.refunded`: a refund
  answered PENDING settles SUCCEEDED or FAILED;
- anything else: recorded, no effect.

An approval for an attempt that already ended (expired, canceled by the buyer) is money the gateway does not
want: the answer asks the HTTP layer to give it back (cancel the hold, or refund what was taken).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import Order, Payment, ProviderEvent
from app.services.common.ids import valid_id
from app.services.common.outcome import Outcome, service
from app.services.payments.callbacks import handle_callback
from app.services.payments.config import PaymentConfig
from app.services.payments.providers import ProviderUnavailable
from app.services.payments.refund_callbacks import handle_refund_callback
from app.services.payments.settlement import settle
from app.services.payments.stripe_provider import (
    CANCELED,
    HELD,
    NAME,
    OPEN,
    SUCCEEDED,
    StripeEvent,
    StripeProvider,
)
from app.services.rules.payment_states import AttemptStatus


@dataclass(frozen=True)
class WebhookAnswer:
    message: str
    payment_status: str | None = None  # the attempt's status after the event (payment events)
    processed: bool = False  # the event moved something
    give_back: str | None = None  # a PaymentIntent whose money the gateway does not want (cancel or refund it)
    release: str | None = None  # an attempt refused: its intent canceled at Stripe after the commit (releases.py)


def _locked(query):  # noqa: ANN001, ANN202 - a select
    return query.with_for_update().execution_options(populate_existing=True)


def of_account(account: str | None):  # noqa: ANN201 - a SQL condition
    """The Stripe attempts living in one account: a tenant's own (its name), or the deployment-wide one (None)."""
    same = Payment.provider_account.is_(None) if account is None else Payment.provider_account == account
    return and_(Payment.provider == NAME, same)


@service
async def handle_stripe_event(
    session: AsyncSession, event: StripeEvent, *, now: datetime, account: str | None = None
) -> Outcome[WebhookAnswer]:
    """Apply an event verified with `account`'s webhook secret: it can only move attempts of that account (an
    event of one tenant's account never touches another tenant's payment)."""
    payment = None
    if event.payment is not None and valid_id(event.payment.payment_id):
        payment = await session.scalar(
            _locked(select(Payment).where(Payment.id == event.payment.payment_id, of_account(account)))
        )
    elif event.intent is not None:
        payment = await session.scalar(
            _locked(select(Payment).where(Payment.provider_reference == event.intent, of_account(account)))
        )
    if event.refunds:
        keys = sorted({r.order_key for r in event.refunds})
        await session.execute(_locked(select(Order.id).where(Order.reference.in_(keys)).order_by(Order.id)))
    seen = await session.scalar(
        select(ProviderEvent.outcome).where(ProviderEvent.provider == NAME, ProviderEvent.event_id == event.id)
    )
    if seen is not None:
        return Outcome.done(WebhookAnswer(f"already received ({seen})"))
    answer = await _apply(session, event, payment, now, account)
    session.add(
        ProviderEvent(
            provider=NAME,
            event_id=event.id[:255],
            type=event.type[:100],
            payment_id=payment.id if payment is not None else None,
            outcome=answer.message,
        )
    )
    await session.flush()
    return Outcome.done(answer)


async def _apply(
    session: AsyncSession, event: StripeEvent, payment: Payment | None, now: datetime, account: str | None
) -> WebhookAnswer:
    if event.payment is not None:
        if payment is None:
            return WebhookAnswer("no attempt of this gateway")
        done = await handle_callback(session, event.payment, provider=NAME, now=now, expire_first=False)
        answer = done.value
        assert answer is not None
        late = event.payment.status == AttemptStatus.APPROVED and answer.http_status == 409
        refused = answer.message == "processed" and answer.payment_status == AttemptStatus.REFUSED
        return WebhookAnswer(
            answer.message,
            answer.payment_status,
            processed=answer.message == "processed",
            give_back=event.intent if late and payment.status != AttemptStatus.APPROVED else None,
            release=payment.id if refused else None,
        )
    if event.canceled:
        if payment is None or payment.status != AttemptStatus.PENDING:
            return WebhookAnswer("nothing pending", payment.status if payment is not None else None)
        order = await session.scalar(_locked(select(Order).where(Order.id == payment.order_id)))
        assert order is not None
        detail = "the PaymentIntent was canceled at Stripe"
        await settle(
            session, payment, order, AttemptStatus.REFUSED, actor=f"payment:{NAME}", detail=detail, released=True
        )
        return WebhookAnswer("processed", payment.status, processed=True)
    if event.refunds:
        messages = []
        for refund in event.refunds:
            done = await handle_refund_callback(session, refund, provider=NAME, account=account)
            answer = done.value
            messages.append(f"refund {refund.refund_id[:40]}: {answer.message if answer else 'unknown'}")
        return WebhookAnswer("; ".join(messages), processed=any(m.endswith(": processed") for m in messages))
    return WebhookAnswer("no effect")


# --- reconciliation ------------------------------------------------------------------------------------------


def not_stripe():  # noqa: ANN201 - a SQL condition
    return or_(Payment.provider.is_(None), Payment.provider != NAME)


async def reconcile(session: AsyncSession, payment: Payment, order: Order, config: PaymentConfig) -> bool:
    """An overdue Stripe attempt (locked by the caller), ended by what Stripe says of its PaymentIntent rather
    than by the clock: held or taken -> APPROVED; canceled -> REFUSED; still open -> canceled at Stripe (so it
    can no longer be paid), then EXPIRED. False when Stripe could not be asked (the next sweep tries again)."""
    provider = StripeProvider(config, payment.provider_account)
    actor, detail = "system", "reconciled with Stripe: no webhook within the time allowed"
    try:
        if not payment.provider_reference:
            return await settle(session, payment, order, AttemptStatus.EXPIRED, actor=actor, detail=detail)
        intent = await provider.retrieve(payment.provider_reference)
        if intent.status in OPEN:
            intent = await provider.cancel_open(payment.provider_reference)
    except ProviderUnavailable:
        return False
    same = int(intent.amount) == payment.amount and str(intent.currency).upper() == payment.currency
    if intent.status in (HELD, SUCCEEDED) and same:
        to = AttemptStatus.APPROVED
    elif intent.status in (HELD, SUCCEEDED):  # not the attempt's amount: never approved on it
        return False
    else:
        to = AttemptStatus.REFUSED if getattr(intent, "last_payment_error", None) else AttemptStatus.EXPIRED
    detail = f"{detail} (PaymentIntent {intent.status})"
    released = intent.status == CANCELED  # else (Stripe refused the cancel) released after the commit
    return await settle(session, payment, order, to, actor=actor, detail=detail, released=released)
