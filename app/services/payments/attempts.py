"""Starting a payment: the attempt row and the provider call, inside the caller's unit of work.

The provider is called before the commit, so a provider that fails (unreachable, timeout, error answer)
refuses the whole unit of work: no order state change, no attempt row, no stock taken. The price of that
choice: the transaction stays open during one provider call, bounded by GATEWAY_PSP_TIMEOUT_SECONDS.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import Order, Payment, PaymentEvent, PaymentMethod, Tenant, utcnow
from app.services.common.errors import ErrorCode, Problem, Refusal
from app.services.events.notify import PAYMENTS, notify
from app.services.payments import ledger
from app.services.payments.config import PaymentConfig
from app.services.payments.providers import ProviderUnavailable, StartRequest, provider_for
from app.services.payments.settlement import end_pending, pending_attempts
from app.services.rules.payment_states import AttemptStatus, MethodKind, Purpose

_STARTED = "payments_started"


async def start_payment(
    session: AsyncSession,
    order: Order,
    method: PaymentMethod,
    *,
    purpose: Purpose,
    config: PaymentConfig,
    return_url: str | None,
) -> Payment:
    """Record an attempt for the order's total (a placed order: what is outstanding) and start it at the
    method's provider, or refuse. The order's earlier pending attempts end first (a direct one left waiting,
    say): at most one attempt is live."""
    detail = f"replaced by a new attempt ({method.code})"
    await end_pending(session, order, await pending_attempts(session, order.id), actor="system", detail=detail)
    redirect = method.kind == MethodKind.REDIRECT
    now = utcnow()
    # A placed order pays what is still outstanding (the rest of a partly paid one); a checkout its total.
    amount = (
        ledger.outstanding(order, await ledger.balance(session, order.id))
        if purpose == Purpose.ORDER
        else (order.total_amount)
    )
    payment = Payment(
        order_id=order.id,
        method_id=method.id,
        method_code=method.code,
        provider=method.provider,
        provider_account=await provider_account(session, order.tenant_id, method.provider, config),
        status=AttemptStatus.PENDING,
        amount=amount,
        currency=order.currency,
        purpose=purpose,
        capture_mode=method.capture_mode,
        expires_at=now + config.pending_for if redirect else None,
    )
    session.add(payment)
    await session.flush()
    if payment.expires_at is not None:  # the sweep of every process learns the new deadline at the commit
        await notify(session, PAYMENTS)
    try:
        provider = provider_for(method.provider, config, payment.provider_account)
        started = await provider.start(
            StartRequest(
                payment_id=payment.id,
                order_key=order.reference,
                amount=payment.amount,
                currency=payment.currency,
                return_url=config.return_url(return_url),
                callback_url=config.callback_url,
                capture_mode=method.capture_mode,
            )
        )
    except ProviderUnavailable as exc:
        raise Refusal(
            Problem(
                ErrorCode.PAYMENT_SERVICE_UNAVAILABLE,
                f"the payment service is unavailable ({exc}): nothing was charged or changed, try again",
                field=("input", "paymentMethodId"),
            )
        ) from None
    payment.next_step, payment.provider_reference = started.next_step, started.reference
    payment.client_secret = started.client_secret
    session.info.setdefault(_STARTED, []).append(payment)  # what this unit of work started (started_here)
    session.add(PaymentEvent(payment_id=payment.id, type="STARTED", detail=f"{method.code} via {method.provider}"))
    return payment


async def provider_account(session: AsyncSession, tenant_id: str, provider: str, config: PaymentConfig) -> str | None:
    """The provider account a new attempt of the tenant lives in: Stripe, the tenant's own account when the
    settings name one (GATEWAY_STRIPE_*__<TENANT>), else None (the deployment-wide account)."""
    if provider != "stripe" or not config.stripe_tenants:
        return None
    external_id = await session.scalar(select(Tenant.external_id).where(Tenant.id == tenant_id))
    return config.stripe_account_of(external_id or "")


async def latest_payment(session: AsyncSession, order_id: str) -> Payment | None:
    return await session.scalar(
        select(Payment).where(Payment.order_id == order_id).order_by(Payment.created_at.desc(), Payment.id.desc())
    )


def started_here(session: AsyncSession, order_id: str) -> Payment | None:
    """The attempt this unit of work started for the order (it is in the session), newest first; None when it
    started none (a replay of an idempotent request reads the latest one instead)."""
    started = [p for p in session.info.get(_STARTED, ()) if p.order_id == order_id]
    return started[-1] if started else None
