"""The sandbox payment service: an external payment provider's behaviour, served by the gateway itself so
the whole redirect flow runs locally and in tests (GATEWAY_SANDBOX_PSP_URL may point at another gateway).

POST /payments/sandbox/sessions    start a payment: JSON in, 201 {"url", "reference"} out
GET  /payments/sandbox/pay/{token} the payment page: amount, order key, "Approve" and "Refuse" buttons
POST /payments/sandbox/pay/{token} the buyer's decision (form field `decision`): the service POSTs its
                                   signed callback to the merchant, then redirects the browser (303) to the
                                   return URL with `orderKey` and `status`

It keeps no state: the session is a signed token in the page's URL, so any gateway process can serve it.
"""

from __future__ import annotations

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

from app.services.payments.providers import SIGNATURE_HEADER
from app.services.payments.signing import seal, sign, unseal
from app.settings import Settings

SESSION_FIELDS = ("paymentId", "orderKey", "amount", "currency", "returnUrl", "callbackUrl")
SESSION_SECONDS = 3600


def _secret(request: Request) -> str:
    settings: Settings = request.app.state.settings
    return settings.sandbox_payment_secret


async def create_session(request: Request) -> JSONResponse:
    try:
        data = json.loads(await request.body())
        fields = {k: str(data[k]) for k in SESSION_FIELDS}
        Decimal(fields["amount"])
    except (ValueError, KeyError, TypeError, InvalidOperation):
        return JSONResponse({"error": f"a JSON object with {', '.join(SESSION_FIELDS)}"}, status_code=400)
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


def sandbox_routes() -> list[Route]:
    return [
        Route("/payments/sandbox/sessions", create_session, methods=["POST"]),
        Route("/payments/sandbox/pay/{token}", payment_page, methods=["GET"]),
        Route("/payments/sandbox/pay/{token}", decide, methods=["POST"]),
    ]
