"""Stripe's webhook endpoint (docs/payments.md, "Stripe").

POST /payments/stripe/webhook            an event of the deployment-wide Stripe account
POST /payments/stripe/webhook/{tenant}   an event of a tenant's own account (the tenant's external id)

Each is signed with its endpoint's secret (`Stripe-Signature`), checked with Stripe's SDK
(`stripe.Webhook.construct_event`) against GATEWAY_STRIPE_WEBHOOK_SECRET (a tenant's endpoint:
GATEWAY_STRIPE_WEBHOOK_SECRET__<TENANT>), its timestamp within GATEWAY_STRIPE_WEBHOOK_TOLERANCE_SECONDS (300 by
default): a missing, wrong or stale one answers 400 and nothing changes. An event only moves attempts of the
account its endpoint belongs to: one tenant's event never touches another tenant's payment. A verified event
is applied once by its id (app/services/payments/stripe_events.py) and answered 200, also when it did nothing
(a replay, an event the gateway does not use, an attempt of another system on the same account): Stripe
redelivers only non-2xx answers, and none of those would change on a redelivery. Without a webhook secret (a
tenant's endpoint: a tenant without an account of its own) the route answers 404.
"""

from __future__ import annotations

import logging

import stripe
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from app.db import run_unit
from app.http.payments import payment_config
from app.models import utcnow
from app.observability import metrics
from app.services.common.outcome import Outcome
from app.services.payments.config import PaymentConfig, stripe_account_name
from app.services.payments.providers import InvalidCallback, ProviderUnavailable
from app.services.payments.releases import release_due
from app.services.payments.stripe_events import handle_stripe_event
from app.services.payments.stripe_provider import SIGNATURE_HEADER, StripeProvider, read_event, verify
from app.settings import Settings

MAX_EVENT_BYTES = 512 * 1024
log = logging.getLogger("app.payments.stripe")


async def stripe_webhook(request: Request) -> JSONResponse:
    settings: Settings = request.app.state.settings
    tenant = request.path_params.get("tenant")
    account: str | None = None
    if tenant is None:
        secret = settings.stripe_webhook_secret
    else:
        own = settings.stripe_account(str(tenant))
        secret = own.webhook_secret if own is not None else None
        account = stripe_account_name(str(tenant))
    if secret is None or not secret.get_secret_value():
        return JSONResponse({"error": "Stripe is not configured"}, status_code=404)
    body = await request.body()
    if len(body) > MAX_EVENT_BYTES:
        return JSONResponse({"error": "body too large"}, status_code=413)
    try:
        data = verify(
            body,
            request.headers.get(SIGNATURE_HEADER),
            secret.get_secret_value(),
            settings.stripe_webhook_tolerance_seconds,
        )
        event = read_event(data)
    except InvalidCallback as exc:
        metrics.observe_payment("REJECTED_CALLBACK")
        log.warning("Stripe webhook refused: %s", exc)
        return JSONResponse({"error": str(exc)}, status_code=400)
    factory = request.app.state.session_factory
    try:
        outcome = await run_unit(factory, lambda s: handle_stripe_event(s, event, now=utcnow(), account=account))
    except IntegrityError:  # the same event recorded by a delivery at the same moment: one effect
        return JSONResponse({"eventId": event.id, "message": "already received"})
    answer = outcome.value
    assert answer is not None
    if answer.processed and answer.payment_status:
        metrics.observe_payment(str(answer.payment_status))
    config = payment_config(settings, str(request.base_url))
    if answer.release:  # a refused attempt: its intent canceled now (else by the sweep, releases.py)
        try:
            await run_unit(factory, lambda s: _release(s, config, answer.release))
        except Exception:  # noqa: BLE001 - the release stays due: the sweep tries again
            log.warning("Stripe PaymentIntent of attempt %s not released yet", answer.release, exc_info=True)
    if answer.give_back:
        try:
            done = await StripeProvider(config, account).give_back(answer.give_back)
            log.warning("Stripe PaymentIntent %s paid after its attempt ended: %s", answer.give_back, done)
        except (ProviderUnavailable, stripe.StripeError) as exc:
            log.warning("Stripe PaymentIntent %s could not be given back: %s", answer.give_back, exc)
    return JSONResponse({"eventId": event.id, "status": answer.payment_status, "message": answer.message})


async def _release(session: AsyncSession, config: PaymentConfig, payment_id: str | None) -> Outcome[int]:
    assert payment_id is not None
    return Outcome.done(await release_due(session, utcnow(), config, payment_ids=[payment_id]))


def stripe_routes() -> list[Route]:
    return [
        Route("/payments/stripe/webhook", stripe_webhook, methods=["POST"]),
        Route("/payments/stripe/webhook/{tenant}", stripe_webhook, methods=["POST"]),
    ]
