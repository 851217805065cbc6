"""Stripe's webhook endpoint (docs/payments.md, "Stripe").

POST /payments/stripe/webhook   an event from Stripe, signed with the endpoint's secret (`Stripe-Signature`)

The signature is checked with Stripe's SDK (`stripe.Webhook.construct_event`) against
GATEWAY_STRIPE_WEBHOOK_SECRET, its timestamp within GATEWAY_STRIPE_WEBHOOK_TOLERANCE_SECONDS (300 by default):
a missing, wrong or stale one answers 400 and nothing changes. A verified event is applied once by its id
(app/services/payments/stripe_events.py) and answered 200, also when it did nothing (a replay, an event the
gateway does not use, an attempt of another system on the same account): Stripe redelivers only non-2xx
answers, and none of those would change on a redelivery. Without a webhook secret the route answers 404.
"""

from __future__ import annotations

import logging

import stripe
from sqlalchemy.exc import IntegrityError
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from app.db import run_unit
from app.http.payments import payment_config
from app.models import utcnow
from app.observability import metrics
from app.services.payments.providers import InvalidCallback, ProviderUnavailable
from app.services.payments.stripe_events import handle_stripe_event
from app.services.payments.stripe_provider import SIGNATURE_HEADER, StripeProvider, read_event, verify
from app.settings import Settings

MAX_EVENT_BYTES = 512 * 1024
log = logging.getLogger("app.payments.stripe")


async def stripe_webhook(request: Request) -> JSONResponse:
    settings: Settings = request.app.state.settings
    if settings.stripe_webhook_secret is None:
        return JSONResponse({"error": "Stripe is not configured"}, status_code=404)
    body = await request.body()
    if len(body) > MAX_EVENT_BYTES:
        return JSONResponse({"error": "body too large"}, status_code=413)
    try:
        data = verify(
            body,
            request.headers.get(SIGNATURE_HEADER),
            settings.stripe_webhook_secret.get_secret_value(),
            settings.stripe_webhook_tolerance_seconds,
        )
        event = read_event(data)
    except InvalidCallback as exc:
        metrics.observe_payment("REJECTED_CALLBACK")
        log.warning("Stripe webhook refused: %s", exc)
        return JSONResponse({"error": str(exc)}, status_code=400)
    try:
        outcome = await run_unit(
            request.app.state.session_factory, lambda s: handle_stripe_event(s, event, now=utcnow())
        )
    except IntegrityError:  # the same event recorded by a delivery at the same moment: one effect
        return JSONResponse({"eventId": event.id, "message": "already received"})
    answer = outcome.value
    assert answer is not None
    if answer.processed and answer.payment_status:
        metrics.observe_payment(str(answer.payment_status))
    provider = StripeProvider(payment_config(settings, str(request.base_url)))
    try:
        if answer.give_back:
            done = await provider.give_back(answer.give_back)
            log.warning("Stripe PaymentIntent %s paid after its attempt ended: %s", answer.give_back, done)
        elif answer.cancel:
            await provider.cancel_open(answer.cancel)
    except (ProviderUnavailable, stripe.StripeError) as exc:
        log.warning("Stripe PaymentIntent %s could not be released: %s", answer.give_back or answer.cancel, exc)
    return JSONResponse({"eventId": event.id, "status": answer.payment_status, "message": answer.message})


def stripe_routes() -> list[Route]:
    return [Route("/payments/stripe/webhook", stripe_webhook, methods=["POST"])]
