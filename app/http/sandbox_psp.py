"""The sandbox payment service: an external payment provider's behaviour, served by the gateway itself so
the whole redirect flow runs locally and in tests (GATEWAY_SANDBOX_PSP_URL may point at another gateway).

POST /payments/sandbox/sessions    start a payment: JSON in, 201 {"url", "reference"} out
GET  /payments/sandbox/pay/{token} the payment page: amount, order key, "Approve" and "Refuse" buttons
POST /payments/sandbox/pay/{token} the buyer's decision (form field `decision`): the service POSTs its
                                   signed callback to the merchant, then redirects the browser (303) to the
                                   return URL with `orderKey` and `status`
POST /payments/sandbox/captures    capture part or all of an approved payment: 200 {"status", "reference"}
POST /payments/sandbox/voids       release an authorization: 200 {"status", "reference"}
POST /payments/sandbox/refunds     refund: 202 {"status": "PENDING", "reference"}, then, after
                                   GATEWAY_SANDBOX_REFUND_DELAY_SECONDS, a signed refund callback (SUCCEEDED,
                                   or FAILED when the reason contains "sandbox-fail") POSTed to `callbackUrl`

It keeps no state: the session is a signed token in the page's URL, so any gateway process can serve it.
Sessions, captures, voids and refunds must be signed with the shared secret (the merchant's API key, in a
real provider): an unsigned request is refused 401; callback URLs must be under the gateway's own public URL
(or GATEWAY_SANDBOX_CALLBACK_ORIGINS): nobody can make the sandbox sign a body or call a URL of theirs.
Mounted only when GATEWAY_SANDBOX_PSP is on (default: outside production).
"""

from __future__ import annotations

import asyncio
import hashlib
import html
import json
import time
from decimal import Decimal, InvalidOperation
from urllib.parse import parse_qs, urlencode

import httpx
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from app.services.common.money import MoneyError, parse_amount
from app.services.payments.providers import SIGNATURE_HEADER
from app.services.payments.signing import seal, sign, unseal, verify
from app.settings import Settings

SESSION_FIELDS = ("paymentId", "orderKey", "amount", "currency", "returnUrl", "callbackUrl")
SESSION_SECONDS = 3600


def _secret(request: Request) -> str:
    settings: Settings = request.app.state.settings
    return settings.sandbox_payment_secret


def _callback_allowed(request: Request, url: str) -> bool:
    """Only the gateway's own callback routes (and those of the origins configured to use this sandbox): the
    sandbox never POSTs a signed body anywhere else."""
    settings: Settings = request.app.state.settings
    own = (settings.public_url or str(request.base_url)).rstrip("/")
    origins = [own, *(o.strip().rstrip("/") for o in settings.sandbox_callback_origins.split(",") if o.strip())]
    return any(url.startswith(f"{origin}/payments/") for origin in origins)


async def create_session(request: Request) -> JSONResponse:
    body = await request.body()
    if not verify(_secret(request), body, request.headers.get(SIGNATURE_HEADER)):
        return JSONResponse({"error": "bad or missing signature"}, status_code=401)
    try:
        data = json.loads(body)
        fields = {k: str(data[k]) for k in SESSION_FIELDS}
        Decimal(fields["amount"])
    except (ValueError, KeyError, TypeError, InvalidOperation):
        return JSONResponse({"error": f"a JSON object with {', '.join(SESSION_FIELDS)}"}, status_code=400)
    if not _callback_allowed(request, fields["callbackUrl"]):
        return JSONResponse({"error": "callbackUrl must be under the gateway's own /payments/"}, status_code=400)
    fields["expires"] = str(int(time.time()) + SESSION_SECONDS)
    token = seal(_secret(request), fields)
    reference = "SBX-" + hashlib.sha256(token.encode()).hexdigest()[:16].upper()
    url = f"{str(request.base_url).rstrip('/')}/payments/sandbox/pay/{token}"
    return JSONResponse({"url": url, "reference": reference}, status_code=201)


def _session(request: Request) -> dict | None:
    data = unseal(_secret(request), request.path_params["token"])
    if data is None or int(data.get("expires", "0")) < time.time():
        return None
    return data


async def payment_page(request: Request) -> Response:
    data = _session(request)
    if data is None:
        return HTMLResponse("<h1>This payment link is not valid.</h1>", status_code=404)
    amount, currency, key = (html.escape(data[k]) for k in ("amount", "currency", "orderKey"))
    page = f"""<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sandbox payment</title></head>
<body><h1>Sandbox payment</h1>
<p>Amount: <strong id="amount">{amount} {currency}</strong></p><p>Order: <strong id="order-key">{key}</strong></p>
<form method="post"><button type="submit" name="decision" value="approve" id="approve">Approve</button>
<button type="submit" name="decision" value="refuse" id="refuse">Refuse</button></form>
<p><small>No real payment takes place.</small></p></body></html>"""
    return HTMLResponse(page)


async def decide(request: Request) -> Response:
    data = _session(request)
    if data is None:
        return HTMLResponse("<h1>This payment link is not valid.</h1>", status_code=404)
    form = parse_qs((await request.body()).decode("utf-8", errors="replace"))
    decision = (form.get("decision") or [""])[0]
    if decision not in ("approve", "refuse"):
        return HTMLResponse("<h1>Choose approve or refuse.</h1>", status_code=400)
    status = "APPROVED" if decision == "approve" else "REFUSED"
    callback = json.dumps(
        {
            "paymentId": data["paymentId"],
            "orderKey": data["orderKey"],
            "status": status,
            "amount": data["amount"],
            "currency": data["currency"],
            "timestamp": int(time.time()),
        }
    ).encode()
    headers = {"content-type": "application/json", SIGNATURE_HEADER: sign(_secret(request), callback)}
    try:
        async with httpx.AsyncClient(timeout=10) as client:
            delivered = await client.post(data["callbackUrl"], content=callback, headers=headers)
    except httpx.HTTPError:
        return HTMLResponse("<h1>The shop could not be notified: try again.</h1>", status_code=502)
    if delivered.status_code >= 500:
        return HTMLResponse("<h1>The shop could not be notified: try again.</h1>", status_code=502)
    try:  # the shop may know better (a payment that expired meanwhile was not taken)
        status = str(delivered.json().get("status") or status)
    except ValueError:
        pass
    target = data["returnUrl"]
    separator = "&" if "?" in target else "?"
    return RedirectResponse(f"{target}{separator}{urlencode({'orderKey': data['orderKey'], 'status': status})}", 303)


MONEY_FIELDS = ("id", "paymentReference", "orderKey", "amount", "currency")
REFUND_ATTEMPTS = 3
# The refund callbacks on their way: a task nobody references can be collected before it runs.
_deliveries: set[asyncio.Task] = set()


async def _signed_request(request: Request) -> dict | Response:
    body = await request.body()
    if not verify(_secret(request), body, request.headers.get(SIGNATURE_HEADER)):
        return JSONResponse({"error": "bad or missing signature"}, status_code=401)
    try:
        data = json.loads(body)
        if not all(isinstance(data.get(k), str) for k in MONEY_FIELDS):
            raise ValueError
        parse_amount(data["amount"])
    except (ValueError, TypeError, MoneyError):
        return JSONResponse({"error": f"a JSON object with {', '.join(MONEY_FIELDS)}"}, status_code=400)
    return data


def _reference(prefix: str, data: dict) -> str:
    return f"{prefix}-" + hashlib.sha256(f"{prefix}:{data['id']}".encode()).hexdigest()[:16].upper()


async def capture(request: Request) -> Response:
    data = await _signed_request(request)
    if isinstance(data, Response):
        return data
    return JSONResponse({"status": "SUCCEEDED", "reference": _reference("CAP", data)})


async def void(request: Request) -> Response:
    data = await _signed_request(request)
    if isinstance(data, Response):
        return data
    return JSONResponse({"status": "SUCCEEDED", "reference": _reference("VOID", data)})


async def refund(request: Request) -> Response:
    data = await _signed_request(request)
    if isinstance(data, Response):
        return data
    if not isinstance(data.get("callbackUrl"), str) or not _callback_allowed(request, data["callbackUrl"]):
        return JSONResponse({"error": "a refund needs a callbackUrl under the gateway's /payments/"}, status_code=400)
    reference = _reference("RFD", data)
    fail = "sandbox-fail" in str(data.get("reason") or "")
    settings: Settings = request.app.state.settings
    task = asyncio.create_task(
        _settle_refund(_secret(request), data, reference, fail, settings.sandbox_refund_delay_seconds)
    )
    _deliveries.add(task)
    task.add_done_callback(_deliveries.discard)
    return JSONResponse({"status": "PENDING", "reference": reference}, status_code=202)


async def _settle_refund(secret: str, data: dict, reference: str, fail: bool, delay: float) -> None:
    """Later, as a real provider does: the refund's outcome, signed, to the merchant's callback URL; retried
    a few times when the merchant does not answer 2xx or 4xx."""
    await asyncio.sleep(delay)
    callback = json.dumps(
        {
            "type": "refund",
            "refundId": data["id"],
            "reference": reference,
            "orderKey": data["orderKey"],
            "status": "FAILED" if fail else "SUCCEEDED",
            "failure": "the sandbox was asked to fail this refund" if fail else None,
            "amount": data["amount"],
            "currency": data["currency"],
            "timestamp": int(time.time()),
        }
    ).encode()
    headers = {"content-type": "application/json", SIGNATURE_HEADER: sign(secret, callback)}
    for attempt in range(REFUND_ATTEMPTS):
        try:
            async with httpx.AsyncClient(timeout=10) as client:
                answer = await client.post(data["callbackUrl"], content=callback, headers=headers)
            if answer.status_code < 500:
                return
        except httpx.HTTPError:
            pass
        await asyncio.sleep(delay * 2 ** (attempt + 1))


def sandbox_routes() -> list[Route]:
    return [
        Route("/payments/sandbox/captures", capture, methods=["POST"]),
        Route("/payments/sandbox/voids", void, methods=["POST"]),
        Route("/payments/sandbox/refunds", refund, methods=["POST"]),
        Route("/payments/sandbox/sessions", create_session, methods=["POST"]),
        Route("/payments/sandbox/pay/{token}", payment_page, methods=["GET"]),
        Route("/payments/sandbox/pay/{token}", decide, methods=["POST"]),
    ]
