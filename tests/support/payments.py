"""A gateway served over real TCP in the test's event loop (its sandbox payment service calls it back over
HTTP), and the documents and steps of the cart checkout flow."""

from __future__ import annotations

import asyncio
import json
import re
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
import uvicorn
from sqlalchemy import func, select

from app.asgi import create_app
from app.models import Offer, Order, Payment, PaymentEvent
from app.services.payments.signing import sign
from app.settings import DEV_SANDBOX_SECRET, Settings
from tests.support.documents import ADD
from tests.support.gateway import Gateway
from tests.support.ports import free_port

CART = "{ cart { id status version isCart lines { id quantity sku } total { amount } shippingTotal { amount } } }"
RESULT = """result { __typename
  ... on RedirectPayment { nextStep orderKey order { id reference status paymentStatus total { amount } } }
  ... on DirectPayment { orderKey order { id reference status paymentStatus logisticOrders { id paymentStatus } } } }
errors { code field message lineId }"""
CHECKOUT = f"mutation($input: CheckoutCartInput!) {{ checkoutCart(input: $input) {{ {RESULT} }} }}"
PAY = (
    f"""mutation($key: String!, $method: ID!) {{ payOrder(orderKey: $key, paymentMethodId: $method) {{ {RESULT} }} }}"""
)
ORDER = """query($id: ID!) { order(id: $id) { id status paymentStatus total { amount }
  logisticOrders { id paymentStatus } payments { id status amount { amount currency } method { code } } } }"""


@asynccontextmanager
async def served(database_url: str, **settings: object) -> AsyncIterator[Gateway]:
    """The app under uvicorn on a free port; the sandbox payment service is the gateway itself unless
    `sandbox_psp_url` says otherwise."""
    port = free_port()
    # The sandbox payment service is this same app on this same event loop: on a loaded machine (parallel
    # workers, other users) its answer can take longer than the production default of 5 s.
    settings = {"psp_timeout_seconds": 30.0, **settings}
    config = Settings(
        database_url=database_url, env="test", webhook_dispatch=False, payment_sweep_seconds=0, **settings
    )
    app = create_app(config)
    # Keep-alive longer than any pause of a test: a connection the server closes while the client reuses it
    # would fail a request with a ReadError that says nothing about the gateway.
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on", timeout_keep_alive=120)
    )
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            task.result()
        await asyncio.sleep(0.02)
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=60) as client:
            yield Gateway(app=app, client=client, settings=config)
    finally:
        server.should_exit = True
        await task


async def cart_with(gw: Gateway, headers: dict, offers: dict[str, str], lines: dict[str, int]) -> dict:
    cart = (await gw.data(CART, headers=headers))["cart"]
    wanted = [{"offerId": offers[sku], "quantity": q} for sku, q in lines.items()]
    added = (await gw.data(ADD, {"id": cart["id"], "lines": wanted}, headers))["addDraftOrderLines"]
    assert added["errors"] == [], added
    return (await gw.data(CART, headers=headers))["cart"]


async def checkout(gw: Gateway, headers: dict, **inp: object) -> dict:
    base = {"addressId": "ACME-HQ", "paymentMethodId": "card-redirect", "shippingMethodId": "standard"}
    return (await gw.data(CHECKOUT, {"input": {**base, **inp}}, headers))["checkoutCart"]


def codes(payload: dict) -> list[str]:
    return sorted(e["code"] for e in payload["errors"])


async def decide(next_step: str, decision: str) -> httpx.Response:
    """What a browser does on the payment page: read it, submit its form with one of its two buttons."""
    async with httpx.AsyncClient(timeout=60) as browser:
        page = await browser.get(next_step)
        assert page.status_code == 200 and "<form" in page.text
        assert f'name="decision" value="{decision}"' in page.text
        form = re.search(r'<form method="(\w+)"', page.text)
        assert form and form.group(1) == "post"  # posts to the page's own URL
        return await browser.post(next_step, data={"decision": decision})


def signed_callback(payment_id: str, order_key: str, status: str, amount: str, *, at: float | None = None) -> tuple:
    body = json.dumps(
        {
            "paymentId": payment_id,
            "orderKey": order_key,
            "status": status,
            "amount": amount,
            "currency": "EUR",
            "timestamp": int(at if at is not None else time.time()),
        }
    ).encode()
    return body, {"content-type": "application/json", "x-sandbox-signature": sign(DEV_SANDBOX_SECRET, body)}


async def snapshot(gw: Gateway) -> dict:
    """What a failed checkout must leave exactly as it was: stock, orders, payments."""
    async with gw.session_factory() as s:
        return {
            "stock": dict((await s.execute(select(Offer.id, Offer.stock))).all()),
            "orders": sorted(
                (
                    await s.execute(select(Order.id, Order.status, Order.is_cart, Order.version, Order.total_amount))
                ).all()
            ),
            "payments": await s.scalar(select(func.count()).select_from(Payment)),
        }


CALLBACK = "/payments/sandbox/callback"


async def pending(gw: Gateway, headers: dict, offers: dict) -> tuple[str, str, str]:
    """A cart checked out with card-redirect: (payment id, order key, amount)."""
    await cart_with(gw, headers, offers, {"NOTEBOOK": 10})
    p = await checkout(gw, headers)
    order = p["result"]["order"]
    async with gw.session_factory() as s:
        payment = await s.scalar(select(Payment).where(Payment.order_id == order["id"]))
    return payment.id, order["reference"], order["total"]["amount"]


async def events(gw: Gateway, payment_id: str) -> list[str]:
    async with gw.session_factory() as s:
        rows = await s.scalars(select(PaymentEvent.type).where(PaymentEvent.payment_id == payment_id))
        return sorted(rows)
