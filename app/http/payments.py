"""The gateway's payment routes: the provider callbacks and the page a buyer returns to.

POST /payments/sandbox/callback          signed JSON from the sandbox payment service (docs/payments.md)
POST /payments/sandbox/refund-callback   the sandbox's signed answer about a refund it answered PENDING
GET  /payments/return                    a small page with the outcome and the order key (default return URL)
"""

from __future__ import annotations

import html
import logging
from datetime import timedelta

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse
from starlette.routing import Route

from app.db import run_unit
from app.models import utcnow
from app.observability import metrics
from app.services.payments.callbacks import handle_callback
from app.services.payments.config import PaymentConfig, StripeKeys
from app.services.payments.providers import InvalidCallback, SandboxProvider
from app.services.payments.refund_callbacks import handle_refund_callback
from app.settings import Settings, StripeAccountSettings

MAX_CALLBACK_BYTES = 64 * 1024
log = logging.getLogger("app.payments")


def payment_config(settings: Settings, base_url: str) -> PaymentConfig:
    public = (settings.public_url or base_url).rstrip("/")
    return PaymentConfig(
        sandbox_url=(settings.sandbox_psp_url or public).rstrip("/"),
        sandbox_secret=settings.sandbox_payment_secret,
        provider_timeout=settings.psp_timeout_seconds,
        pending_for=timedelta(seconds=settings.payment_timeout_seconds),
        public_url=public,
        sandbox_usable=settings.sandbox_usable,
        stripe=stripe_keys(settings),
        stripe_tenants={
            name: tenant_stripe_keys(settings, account)
            for name, account in settings.stripe_tenants.items()
            if account.own
        },
    )


def stripe_keys(settings: Settings) -> StripeKeys | None:
    if settings.stripe_secret_key is None:
        return None
    return StripeKeys(
        secret_key=settings.stripe_secret_key.get_secret_value(),
        publishable_key=settings.stripe_publishable_key or "",
        api_base=settings.stripe_api_base,
    )


def tenant_stripe_keys(settings: Settings, account: StripeAccountSettings) -> StripeKeys:
    """A tenant's own account, never mixed with the deployment-wide keys (its API base may be the deployment's);
    without its secret key its calls are refused as unconfigured (and `serve` does not start)."""
    return StripeKeys(
        secret_key=account.secret_key.get_secret_value() if account.secret_key is not None else "",
        publishable_key=account.publishable_key or "",
        api_base=account.api_base or settings.stripe_api_base,
    )


async def sandbox_callback(request: Request) -> JSONResponse:
    settings: Settings = request.app.state.settings
    body = await request.body()
    if len(body) > MAX_CALLBACK_BYTES:
        return JSONResponse({"error": "body too large"}, status_code=413)
    provider = SandboxProvider(payment_config(settings, str(request.base_url)))
    try:
        event = provider.parse_callback(request.headers, body)
    except InvalidCallback as exc:
        return JSONResponse({"error": str(exc)}, status_code=401 if exc.forged else 400)
    outcome = await run_unit(
        request.app.state.session_factory,
        lambda s: handle_callback(s, event, provider=provider.name, now=utcnow()),
    )
    answer = outcome.value
    assert answer is not None
    if answer.message == "processed":
        metrics.observe_payment(str(answer.payment_status))
    elif outcome.errors:
        metrics.observe_payment("REJECTED_CALLBACK")
    body_out = {"paymentId": event.payment_id, "status": answer.payment_status, "message": answer.message}
    return JSONResponse(body_out, status_code=answer.http_status)


async def sandbox_refund_callback(request: Request) -> JSONResponse:
    """The outcome of a refund, signed like the payment callbacks. Every refusal is counted
    (`gateway_refunds_total{outcome="CALLBACK_..."}`) and logged; one about a known refund is also recorded on
    its order (REFUND_CALLBACK_REFUSED)."""
    settings: Settings = request.app.state.settings
    body = await request.body()
    if len(body) > MAX_CALLBACK_BYTES:
        return JSONResponse({"error": "body too large"}, status_code=413)
    provider = SandboxProvider(payment_config(settings, str(request.base_url)))
    try:
        event = provider.parse_refund_callback(request.headers, body)
    except InvalidCallback as exc:
        outcome = "CALLBACK_FORGED" if exc.forged else "CALLBACK_MALFORMED"
        metrics.observe_refund(outcome)
        log.warning("refund callback refused (%s): %s", outcome, exc)
        return JSONResponse({"error": str(exc)}, status_code=401 if exc.forged else 400)
    outcome = await run_unit(
        request.app.state.session_factory, lambda s: handle_refund_callback(s, event, provider=provider.name)
    )
    answer = outcome.value
    assert answer is not None
    if answer.message == "processed":
        metrics.observe_refund(str(answer.refund_status))
    elif answer.http_status == 404:
        metrics.observe_refund("CALLBACK_UNKNOWN")
        log.warning(
            "refund callback for an unknown refund %r (order key %r)", event.refund_id[:64], event.order_key[:64]
        )
    elif outcome.errors:
        metrics.observe_refund("CALLBACK_REFUSED")
        log.warning("refund callback refused for refund %s: %s", event.refund_id, answer.message)
    else:
        metrics.observe_refund("CALLBACK_REPLAYED")
    body_out = {"refundId": event.refund_id, "status": answer.refund_status, "message": answer.message}
    return JSONResponse(body_out, status_code=answer.http_status)


async def return_page(request: Request) -> HTMLResponse:
    key = html.escape(request.query_params.get("orderKey", "")[:64])
    status = html.escape(request.query_params.get("status", "")[:32])
    outcome = {
        "APPROVED": "Your payment was approved.",
        "REFUSED": "Your payment was refused.",
        "CANCELED": "Your payment was canceled.",  # cancelPayment came first: nothing was taken
        "EXPIRED": "Your payment expired.",
    }.get(status, "Your payment is being processed.")
    page = f"""<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Payment {status}</title></head>
<body><h1>{outcome}</h1><p>Order key: <strong id="order-key">{key}</strong></p>
<p id="status">{status}</p></body></html>"""
    return HTMLResponse(page)


def payment_routes() -> list[Route]:
    return [
        Route("/payments/sandbox/callback", sandbox_callback, methods=["POST"]),
        Route("/payments/sandbox/refund-callback", sandbox_refund_callback, methods=["POST"]),
        Route("/payments/return", return_page, methods=["GET"]),
    ]
