"""Stripe through its official SDK against localstripe (issue 27, scopes 1-4), on SQLite and PostgreSQL; a Stripe
account per tenant against two localstripe servers (one per account), and early ends releasing the intent.

`localstripe` (a stateful Stripe API server, a test dependency) runs on a free port; the gateway is served over
TCP with GATEWAY_STRIPE_API_BASE pointing at it, and its webhook endpoint is registered there with a secret, so
localstripe delivers its own signed `payment_intent.succeeded` and `payment_intent.payment_failed` events.
The test plays the storefront's Stripe.js: it attaches a test card to the PaymentIntent and confirms it with
the SDK. Events localstripe never sends (`payment_intent.amount_capturable_updated`, `refund.updated`, and any
event to replay or forge) are built from the object localstripe returns and signed with the SDK's own test
helper, `stripe.WebhookSignature.generate_signature_header` (docs/payments.md, "Stripe", lists them).
"""

from __future__ import annotations

import asyncio
import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import replace
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import httpx
import pytest
import stripe
from sqlalchemy import func, select, update

from app.cli import DEMO_FILE
from app.http.payments import payment_config
from app.models import Payment, PaymentEvent, PaymentTransaction, ProviderEvent, utcnow
from app.services.importer import import_file
from app.services.payments import releases
from app.sweeper import release_once, sweep_once, sweep_payments
from tests.support.documents import offer_ids, ready_draft
from tests.support.gateway import OTHER_KEY, SECRETS, Gateway
from tests.support.payments import CART, cart_with, served
from tests.support.ports import free_port
from tests.support.refunds import CANCEL, MONEY, REFUND

SECRET_KEY = "sk_test_gateway_suite"
PUBLISHABLE_KEY = "pk_test_gateway_suite"
WEBHOOK_SECRET = "whsec_gateway_suite"
SECRETS.update({SECRET_KEY, WEBHOOK_SECRET})
WEBHOOK = "/payments/stripe/webhook"
METHODS = {
    "tenants": [
        {
            "externalId": "demo",
            "paymentMethods": [
                {"code": "card-stripe", "name": "Card (Stripe)", "kind": "REDIRECT", "provider": "stripe"},
                {
                    "code": "card-stripe-manual",
                    "name": "Card (Stripe, captured at shipment)",
                    "kind": "REDIRECT",
                    "provider": "stripe",
                    "captureMode": "MANUAL",
                },
            ],
        }
    ]
}
CHECKOUT = """mutation($input: CheckoutCartInput!) { checkoutCart(input: $input) {
  result { __typename ... on ClientSecretPayment { clientSecret publishableKey orderKey
    order { id reference status paymentStatus total { amount } } }
    ... on DirectPayment { orderKey order { id reference status paymentStatus total { amount } } } }
  errors { code field message } } }"""
CAPTURE = """mutation($input: CapturePaymentInput!) { capturePayment(input: $input) {
  order { paymentStatus authorizedAmount { amount } capturedAmount { amount } }
  transaction { kind status amount { amount } reference } errors { code message } } }"""
VISA, DECLINED = "4242424242424242", "4000000000000341"


def _start_localstripe(cwd: Path) -> tuple[subprocess.Popen, str]:
    """localstripe on a free port (its state in memory; --from-scratch ignores any earlier dump)."""
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "localstripe", "--port", str(port), "--from-scratch"],
        cwd=cwd,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 30
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return proc, f"http://127.0.0.1:{port}"
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.terminate()
                raise RuntimeError("localstripe did not start") from None
            time.sleep(0.1)


def _localstripe_in(cwd: Path) -> Iterator[str]:
    proc, url = _start_localstripe(cwd)
    try:
        yield url
    finally:
        proc.terminate()
        proc.wait(10)


@pytest.fixture(scope="module")
def localstripe(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    yield from _localstripe_in(tmp_path_factory.mktemp("localstripe"))


@pytest.fixture(scope="module")
def other_localstripe(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A second Stripe account: localstripe does not tell accounts apart by key, so another server."""
    yield from _localstripe_in(tmp_path_factory.mktemp("localstripe-other"))


@pytest.fixture
async def shop(database_url: str, localstripe: str, tmp_path: Path) -> AsyncIterator[Gateway]:
    """The gateway served over TCP with the Stripe settings, two Stripe methods imported, and its webhook
    endpoint registered at localstripe with the endpoint's secret."""
    async with served(
        database_url,
        stripe_secret_key=SECRET_KEY,
        stripe_publishable_key=PUBLISHABLE_KEY,
        stripe_webhook_secret=WEBHOOK_SECRET,
        stripe_api_base=localstripe,
    ) as gw:
        data = tmp_path / "stripe-methods.json"
        data.write_text(json.dumps(METHODS))
        await import_file(gw.session_factory, data)
        await _register(localstripe, f"{gw.client.base_url}{WEBHOOK}")
        yield gw


@pytest.fixture
async def acme_at_shop(shop: Gateway) -> dict:
    return await shop.as_user("buyer@acme.example")


@pytest.fixture
async def shop_offers(shop: Gateway, acme_at_shop: dict) -> dict[str, str]:
    return await offer_ids(shop, acme_at_shop)


@pytest.fixture
async def operator_at_shop(shop: Gateway) -> dict:
    return await shop.as_user("operator@demo.example", client="OPERATOR")


async def _register(localstripe: str, url: str, secret: str = WEBHOOK_SECRET) -> None:
    async with httpx.AsyncClient() as c:
        form = {"url": url, "secret": secret}
        assert (await c.post(f"{localstripe}/_config/webhooks/gateway", data=form)).status_code == 200


def _sdk(localstripe: str, key: str = SECRET_KEY) -> stripe.StripeClient:
    return stripe.StripeClient(
        key, base_addresses={"api": localstripe}, http_client=stripe.HTTPXClient(), max_network_retries=0
    )


async def _buyer_confirms(localstripe: str, client_secret: str, card: str, key: str = SECRET_KEY) -> str:
    """What the storefront's Stripe.js does with the client secret: a card as the intent's payment method, then
    confirm (localstripe takes the payment method on an update, not on confirm). The intent's status after."""
    sdk = _sdk(localstripe, key)
    intent_id = client_secret.split("_secret_")[0]
    method = await sdk.v1.payment_methods.create_async(
        {"type": "card", "card": {"number": card, "exp_month": 12, "exp_year": 2034, "cvc": "123"}}
    )
    await sdk.v1.payment_intents.update_async(intent_id, {"payment_method": method.id})
    try:
        return str((await sdk.v1.payment_intents.confirm_async(intent_id)).status)
    except stripe.CardError:
        return "declined"


async def _intent(localstripe: str, intent_id: str, key: str = SECRET_KEY) -> dict:
    """The PaymentIntent as localstripe serializes it (the `data.object` of an event about it)."""
    async with httpx.AsyncClient() as c:
        got = await c.get(f"{localstripe}/v1/payment_intents/{intent_id}", auth=(key, ""))
        assert got.status_code == 200, got.text
        return got.json()


def _signed(event_type: str, obj: dict, *, event_id: str | None = None, secret: str = WEBHOOK_SECRET) -> tuple:
    """An event as Stripe sends it, signed with the SDK's test helper."""
    body = json.dumps(
        {
            "id": event_id or f"evt_{time.time_ns()}",
            "object": "event",
            "type": event_type,
            "created": int(time.time()),
            "data": {"object": obj},
            "livemode": False,
            "api_version": "2024-06-20",
        }
    )
    header = stripe.WebhookSignature.generate_signature_header(body, secret)
    return body, {"content-type": "application/json", "stripe-signature": header}


async def _checkout(
    gw: Gateway, buyer: dict, offers: dict, method: str, *, sku: str = "NOTEBOOK", address: str = "ACME-HQ"
) -> dict:
    await cart_with(gw, buyer, offers, {sku: 2})
    inp = {"addressId": address, "paymentMethodId": method, "shippingMethodId": "standard"}
    answer = (await gw.data(CHECKOUT, {"input": inp}, buyer))["checkoutCart"]
    assert answer["errors"] == [], answer
    return answer["result"]


async def _order(gw: Gateway, headers: dict, order_id: str) -> dict:
    return (await gw.data(MONEY, {"id": order_id}, headers))["order"]


async def _until(gw: Gateway, headers: dict, order_id: str, field: str, wanted: str) -> dict:
    """The order once `field` reads `wanted` (localstripe delivers its webhooks a second after the event)."""
    deadline = time.monotonic() + 20
    while True:
        order = await _order(gw, headers, order_id)
        if order[field] == wanted or time.monotonic() > deadline:
            assert order[field] == wanted, order
            return order
        await asyncio.sleep(0.2)


async def _attempt(gw: Gateway, order_id: str, wanted: str) -> str:
    """The status of the order's attempt once it reads `wanted` (or after 20 s)."""
    for _ in range(100):
        async with gw.session_factory() as s:
            status = await s.scalar(select(Payment.status).where(Payment.order_id == order_id))
        if status == wanted:
            break
        await asyncio.sleep(0.2)
    return str(status)


async def _count(gw: Gateway, model, *where) -> int:  # noqa: ANN001
    async with gw.session_factory() as s:
        return await s.scalar(select(func.count()).select_from(model).where(*where))


# --- the buyer's side and the webhooks -----------------------------------------------------------------------


async def test_checkout_confirmed_with_a_test_card_is_paid_by_the_webhook(
    shop: Gateway, localstripe: str, acme_at_shop: dict, shop_offers: dict
) -> None:
    started = await _checkout(shop, acme_at_shop, shop_offers, "card-stripe")
    assert started["__typename"] == "ClientSecretPayment"
    assert started["publishableKey"] == PUBLISHABLE_KEY and "_secret_" in started["clientSecret"]
    order = started["order"]
    assert (order["status"], order["paymentStatus"]) == ("PAYMENT_PENDING", "AUTHORIZATION_PENDING")
    intent = await _intent(localstripe, started["clientSecret"].split("_secret_")[0])
    assert intent["amount"] == int(Decimal(order["total"]["amount"]) * 100) and intent["currency"] == "eur"
    assert intent["metadata"]["order_key"] == order["reference"] and intent["capture_method"] == "automatic"

    assert await _buyer_confirms(localstripe, started["clientSecret"], VISA) == "succeeded"
    paid = await _until(shop, acme_at_shop, order["id"], "paymentStatus", "PAID")
    assert paid["status"] == "PLACED" and paid["capturedAmount"]["amount"] == order["total"]["amount"]
    assert await _count(shop, ProviderEvent, ProviderEvent.type == "payment_intent.succeeded") == 1


async def test_a_declined_card_is_refused_and_the_cart_comes_back(
    shop: Gateway, localstripe: str, acme_at_shop: dict, shop_offers: dict
) -> None:
    started = await _checkout(shop, acme_at_shop, shop_offers, "card-stripe")
    assert await _buyer_confirms(localstripe, started["clientSecret"], DECLINED) == "declined"
    assert await _attempt(shop, started["order"]["id"], "REFUSED") == "REFUSED"
    cart = (await shop.data(CART, headers=acme_at_shop))["cart"]
    assert cart["id"] == started["order"]["id"] and [ln["sku"] for ln in cart["lines"]] == ["NOTEBOOK"]
    assert cart["status"] == "DRAFT"
    # the refused intent is canceled at Stripe: no later confirmation can take money for a cart
    intent_id = started["clientSecret"].split("_secret_")[0]
    for _ in range(50):  # the webhook's answer commits, then the route cancels the intent
        if (await _intent(localstripe, intent_id))["status"] == "canceled":
            break
        await asyncio.sleep(0.2)
    assert (await _intent(localstripe, intent_id))["status"] == "canceled"


async def test_manual_method_authorized_once_then_captured_in_part_then_the_rest_voided(
    shop: Gateway, localstripe: str, acme_at_shop: dict, shop_offers: dict, operator_at_shop: dict
) -> None:
    started = await _checkout(shop, acme_at_shop, shop_offers, "card-stripe-manual")
    intent_id = started["clientSecret"].split("_secret_")[0]
    assert await _buyer_confirms(localstripe, started["clientSecret"], VISA) == "requires_capture"
    # localstripe sends no amount_capturable_updated: built from its intent, signed with the SDK's helper
    body, headers = _signed("payment_intent.amount_capturable_updated", await _intent(localstripe, intent_id))
    first = await shop.client.post(WEBHOOK, content=body, headers=headers)
    assert first.status_code == 200 and first.json()["message"] == "processed", first.text
    replay = await shop.client.post(WEBHOOK, content=body, headers=headers)
    assert replay.status_code == 200 and replay.json()["message"].startswith("already received"), replay.text
    order_id = started["order"]["id"]
    held = await _order(shop, acme_at_shop, order_id)
    assert (held["status"], held["paymentStatus"]) == ("PLACED", "AUTHORIZED")
    kinds = [t["kind"] for t in held["transactions"]]
    assert kinds == ["AUTHORIZATION"], kinds  # the replay had no effect

    total = Decimal(started["order"]["total"]["amount"])
    part = (total * Decimal("0.4")).quantize(Decimal("0.01"))
    captured = (
        await shop.data(
            CAPTURE, {"input": {"orderId": order_id, "amount": str(part), "idempotencyKey": "c1"}}, operator_at_shop
        )
    )["capturePayment"]
    assert captured["errors"] == [], captured
    assert (captured["transaction"]["status"], captured["transaction"]["reference"]) == ("SUCCEEDED", intent_id)
    assert captured["order"]["capturedAmount"]["amount"] == str(part)
    assert (await _intent(localstripe, intent_id))["status"] == "succeeded"

    canceled = (await shop.data(CANCEL, {"id": order_id}, operator_at_shop))["cancelOrder"]
    assert canceled["errors"] == [], canceled
    after = await _order(shop, acme_at_shop, order_id)
    voids = [t for t in after["transactions"] if t["kind"] == "VOID"]
    # Stripe released the rest at the partial capture: the void finds nothing held and succeeds
    assert [(v["status"], Decimal(v["amount"]["amount"])) for v in voids] == [("SUCCEEDED", total - part)]


async def test_an_authorization_voided_cancels_the_payment_intent(
    shop: Gateway, localstripe: str, acme_at_shop: dict, shop_offers: dict, operator_at_shop: dict
) -> None:
    started = await _checkout(shop, acme_at_shop, shop_offers, "card-stripe-manual")
    intent_id = started["clientSecret"].split("_secret_")[0]
    await _buyer_confirms(localstripe, started["clientSecret"], VISA)
    body, headers = _signed("payment_intent.amount_capturable_updated", await _intent(localstripe, intent_id))
    assert (await shop.client.post(WEBHOOK, content=body, headers=headers)).status_code == 200
    canceled = (await shop.data(CANCEL, {"id": started["order"]["id"]}, operator_at_shop))["cancelOrder"]
    assert canceled["errors"] == [] and canceled["order"]["status"] == "CANCELED", canceled
    assert (await _intent(localstripe, intent_id))["status"] == "canceled"
    # Stripe's payment_intent.canceled that follows the gateway's own void: nothing pending, no effect
    body, headers = _signed("payment_intent.canceled", await _intent(localstripe, intent_id))
    echo = await shop.client.post(WEBHOOK, content=body, headers=headers)
    assert echo.status_code == 200 and echo.json()["message"] == "nothing pending", echo.text


async def test_a_refund_is_refunded_and_its_webhook_changes_nothing_more(
    shop: Gateway, localstripe: str, acme_at_shop: dict, shop_offers: dict, operator_at_shop: dict
) -> None:
    started = await _checkout(shop, acme_at_shop, shop_offers, "card-stripe")
    await _buyer_confirms(localstripe, started["clientSecret"], VISA)
    order_id = started["order"]["id"]
    await _until(shop, acme_at_shop, order_id, "paymentStatus", "PAID")
    total = started["order"]["total"]["amount"]
    refund = {"orderId": order_id, "amount": total, "reason": "returned", "idempotencyKey": "r1"}
    done = (await shop.data(REFUND, {"input": refund}, operator_at_shop))["refundOrder"]
    assert done["errors"] == [], done
    assert done["transaction"]["status"] == "SUCCEEDED" and done["order"]["paymentStatus"] == "REFUNDED"
    async with shop.session_factory() as s:
        stripe_refund_id = await s.scalar(
            select(PaymentTransaction.provider_reference).where(
                PaymentTransaction.order_id == order_id, PaymentTransaction.kind == "REFUND"
            )
        )
    async with httpx.AsyncClient() as c:
        obj = (await c.get(f"{localstripe}/v1/refunds/{stripe_refund_id}", auth=(SECRET_KEY, ""))).json()
    assert obj["metadata"]["refund_id"] == done["transaction"]["id"] and obj["amount"] == int(Decimal(total) * 100)
    body, headers = _signed("refund.updated", obj)
    answer = await shop.client.post(WEBHOOK, content=body, headers=headers)
    assert answer.status_code == 200 and "already processed" in answer.json()["message"], answer.text
    # a contradicting event (the refund failed, says a forger with the secret, or a confused sender): refused
    failed = {**obj, "status": "failed", "failure_reason": "expired_or_canceled_card"}
    body, headers = _signed("refund.failed", failed)
    contradicted = await shop.client.post(WEBHOOK, content=body, headers=headers)
    assert contradicted.status_code == 200 and "already SUCCEEDED" in contradicted.json()["message"], contradicted.text
    after = await _order(shop, acme_at_shop, order_id)
    assert after["paymentStatus"] == "REFUNDED" and after["refundedAmount"]["amount"] == total
    assert "REFUND_CALLBACK_REFUSED" in [e["type"] for e in after["events"]]
    assert [t["status"] for t in after["transactions"] if t["kind"] == "REFUND"] == ["SUCCEEDED"]


async def test_a_forged_or_stale_signature_is_refused_and_changes_nothing(
    shop: Gateway, localstripe: str, acme_at_shop: dict, shop_offers: dict
) -> None:
    started = await _checkout(shop, acme_at_shop, shop_offers, "card-stripe")
    intent_id = started["clientSecret"].split("_secret_")[0]
    obj = {**await _intent(localstripe, intent_id), "status": "succeeded"}
    body, forged = _signed("payment_intent.succeeded", obj, secret="whsec_someone_else")
    assert (await shop.client.post(WEBHOOK, content=body, headers=forged)).status_code == 400
    unsigned = {"content-type": "application/json"}
    assert (await shop.client.post(WEBHOOK, content=body, headers=unsigned)).status_code == 400
    old = stripe.WebhookSignature.generate_signature_header(body, WEBHOOK_SECRET, timestamp=int(time.time()) - 600)
    stale = {"content-type": "application/json", "stripe-signature": old}
    assert (await shop.client.post(WEBHOOK, content=body, headers=stale)).status_code == 400
    tampered = body.replace(f'"amount": {obj["amount"]}', '"amount": 1')
    _, signed = _signed("payment_intent.succeeded", obj)
    assert (await shop.client.post(WEBHOOK, content=tampered, headers=signed)).status_code == 400
    still = await _order(shop, acme_at_shop, started["order"]["id"])
    assert (still["status"], still["paymentStatus"]) == ("PAYMENT_PENDING", "AUTHORIZATION_PENDING")
    assert still["transactions"] == [] and await _count(shop, ProviderEvent) == 0
    # signed, but about an intent of another system on the same account: recorded, no effect
    foreign = {**obj, "id": "pi_not_ours", "metadata": {}}
    body, headers = _signed("payment_intent.succeeded", foreign)
    answer = await shop.client.post(WEBHOOK, content=body, headers=headers)
    assert answer.status_code == 200 and answer.json()["message"] == "no effect", answer.text
    assert await _count(shop, ProviderEvent) == 1


async def test_without_a_webhook_secret_the_endpoint_is_not_there(gw: Gateway) -> None:
    body, headers = _signed("payment_intent.succeeded", {"id": "pi_x", "metadata": {}})
    assert (await gw.client.post(WEBHOOK, content=body, headers=headers)).status_code == 404


PLACE_STRIPE = """mutation($id: ID!, $input: PlaceDraftOrderInput) { placeDraftOrder(id: $id, input: $input) {
  order { ... on Order { id status paymentStatus } } nextStep clientSecret publishableKey errors { code message } } }"""
FROM_CART_STRIPE = """mutation($input: CreateOrderFromCartInput!) { createOrderFromCart(input: $input) {
  order { id status paymentStatus } nextStep clientSecret publishableKey errors { code message } } }"""


async def test_every_entry_point_answers_the_client_secret_and_the_payment_is_paid(
    shop: Gateway, localstripe: str, acme_at_shop: dict, shop_offers: dict
) -> None:
    draft = await ready_draft(shop, acme_at_shop, shop_offers, "NOTEBOOK", 3)
    placed = (
        await shop.data(PLACE_STRIPE, {"id": draft["id"], "input": {"paymentMethodId": "card-stripe"}}, acme_at_shop)
    )["placeDraftOrder"]
    assert placed["errors"] == [] and placed["nextStep"] is None, placed
    assert placed["publishableKey"] == PUBLISHABLE_KEY and "_secret_" in placed["clientSecret"]
    assert placed["order"]["status"] == "PAYMENT_PENDING"
    await _buyer_confirms(localstripe, placed["clientSecret"], VISA)
    await _until(shop, acme_at_shop, draft["id"], "paymentStatus", "PAID")

    await cart_with(shop, acme_at_shop, shop_offers, {"NOTEBOOK": 1})
    inp = {"action": "CHECKOUT", "paymentMethodId": "card-stripe"}
    made = (await shop.data(FROM_CART_STRIPE, {"input": inp}, acme_at_shop))["createOrderFromCart"]
    assert made["errors"] == [] and made["publishableKey"] == PUBLISHABLE_KEY and made["clientSecret"], made
    await _buyer_confirms(localstripe, made["clientSecret"], VISA)
    await _until(shop, acme_at_shop, made["order"]["id"], "paymentStatus", "PAID")


CANCEL_PAYMENT = """mutation($key: String!) { cancelPayment(orderKey: $key) { payment { status }
  errors { code message } } }"""


async def test_money_after_the_attempt_ended_is_given_back_and_a_late_webhook_still_pays(
    shop: Gateway, localstripe: str, acme_at_shop: dict, shop_offers: dict
) -> None:
    gone = await _checkout(shop, acme_at_shop, shop_offers, "card-stripe")
    key = gone["order"]["reference"]
    canceled = (await shop.data(CANCEL_PAYMENT, {"key": key}, acme_at_shop))["cancelPayment"]
    assert canceled["errors"] == [] and canceled["payment"]["status"] == "CANCELED", canceled
    # the buyer's page was still open: Stripe takes the money, the gateway gives it back
    assert await _buyer_confirms(localstripe, gone["clientSecret"], VISA) == "succeeded"
    intent_id = gone["clientSecret"].split("_secret_")[0]
    refunds: list = []
    async with httpx.AsyncClient() as c:
        for _ in range(100):
            listed = await c.get(
                f"{localstripe}/v1/refunds", params={"payment_intent": intent_id}, auth=(SECRET_KEY, "")
            )
            refunds = listed.json()["data"]
            if refunds:
                break
            await asyncio.sleep(0.2)
    amount = (await _intent(localstripe, intent_id))["amount"]
    assert [(r["amount"], "gave_back" in r["metadata"]) for r in refunds] == [(amount, True)], refunds
    assert await _attempt(shop, gone["order"]["id"], "CANCELED") == "CANCELED"
    # the release of the canceled attempt, after the race: the same give-back (one refund, not two)
    config = payment_config(shop.settings, str(shop.client.base_url))
    assert await release_once(shop.session_factory, config) == 1
    async with httpx.AsyncClient() as c:
        listed = await c.get(f"{localstripe}/v1/refunds", params={"payment_intent": intent_id}, auth=(SECRET_KEY, ""))
    assert [r["id"] for r in listed.json()["data"]] == [r["id"] for r in refunds]

    late = await _checkout(shop, acme_at_shop, shop_offers, "card-stripe")
    await _overdue(shop, late["order"]["id"])  # past its time, not yet swept: Stripe's word still counts
    assert await _buyer_confirms(localstripe, late["clientSecret"], VISA) == "succeeded"
    await _until(shop, acme_at_shop, late["order"]["id"], "paymentStatus", "PAID")


# --- an attempt ended early: its PaymentIntent canceled at Stripe after the commit ---------------------------

PAY_STRIPE = """mutation($key: String!) { payOrder(orderKey: $key, paymentMethodId: "card-stripe") {
  result { __typename ... on ClientSecretPayment { clientSecret publishableKey } } errors { code message } } }"""


async def _release_state(gw: Gateway, order_id: str) -> list[tuple[str, bool]]:
    async with gw.session_factory() as s:
        rows = await s.execute(
            select(Payment.status, Payment.release_due_at).where(Payment.order_id == order_id).order_by(Payment.id)
        )
        return [(str(status), due is not None) for status, due in rows]


async def test_an_order_canceled_while_its_stripe_payment_is_pending_cancels_the_intent(
    shop: Gateway, localstripe: str, acme_at_shop: dict, shop_offers: dict, operator_at_shop: dict
) -> None:
    placed = await _checkout(shop, acme_at_shop, shop_offers, "pay-on-delivery")
    order_id = placed["order"]["id"]
    paying = (await shop.data(PAY_STRIPE, {"key": placed["orderKey"]}, acme_at_shop))["payOrder"]
    assert paying["errors"] == [] and paying["result"]["__typename"] == "ClientSecretPayment", paying
    intent_id = paying["result"]["clientSecret"].split("_secret_")[0]
    releases.wakeup = asyncio.Event()  # what the sweep of `serve` waits on
    try:
        canceled = (await shop.data(CANCEL, {"id": order_id}, operator_at_shop))["cancelOrder"]
        assert canceled["errors"] == [] and canceled["order"]["status"] == "CANCELED", canceled
        assert releases.wakeup.is_set()  # set by the commit that ended the attempt
    finally:
        releases.wakeup = None
    # the cancel commits first; the intent is released after it, by the sweep's release tick
    assert (await _intent(localstripe, intent_id))["status"] == "requires_payment_method"
    assert await _release_state(shop, order_id) == [("CANCELED", False), ("CANCELED", True)]
    config = payment_config(shop.settings, str(shop.client.base_url))
    assert await release_once(shop.session_factory, config) == 1
    assert (await _intent(localstripe, intent_id))["status"] == "canceled"
    assert await _release_state(shop, order_id) == [("CANCELED", False), ("CANCELED", False)]
    assert await release_once(shop.session_factory, config) == 0  # done once
    assert await _count(shop, PaymentEvent, PaymentEvent.type == "RELEASED") == 1


async def test_a_payment_canceled_by_the_buyer_cancels_the_intent(
    shop: Gateway, localstripe: str, acme_at_shop: dict, shop_offers: dict
) -> None:
    started = await _checkout(shop, acme_at_shop, shop_offers, "card-stripe")
    intent_id = started["clientSecret"].split("_secret_")[0]
    config = payment_config(shop.settings, str(shop.client.base_url))
    # the sweep of `serve`, its period far away: what wakes it is the commit that ends the attempt
    stop, releases.wakeup = asyncio.Event(), asyncio.Event()
    sweeping = asyncio.create_task(
        sweep_payments(shop.session_factory, 3600, stop, authorizations=(config, timedelta(days=7)))
    )
    try:
        canceled = (await shop.data(CANCEL_PAYMENT, {"key": started["orderKey"]}, acme_at_shop))["cancelPayment"]
        assert canceled["errors"] == [] and canceled["payment"]["status"] == "CANCELED", canceled
        for _ in range(100):
            if (await _intent(localstripe, intent_id))["status"] == "canceled":
                break
            await asyncio.sleep(0.2)
        assert (await _intent(localstripe, intent_id))["status"] == "canceled"
    finally:
        stop.set()
        await sweeping
        releases.wakeup = None
    assert await _count(shop, PaymentEvent, PaymentEvent.type == "RELEASED") == 1
    with pytest.raises(stripe.InvalidRequestError):  # the buyer's page, still open, can no longer take money
        await _buyer_confirms(localstripe, started["clientSecret"], VISA)
    cart = (await shop.data(CART, headers=acme_at_shop))["cart"]
    assert cart["id"] == started["order"]["id"] and cart["status"] == "DRAFT"


# --- reconciliation --------------------------------------------------------------------------------------------


async def _overdue(gw: Gateway, order_id: str) -> None:
    async with gw.session_factory() as s:
        await s.execute(
            update(Payment).where(Payment.order_id == order_id).values(expires_at=utcnow() - timedelta(seconds=1))
        )
        await s.commit()


async def test_a_webhook_never_delivered_is_reconciled_by_the_sweep(
    shop: Gateway, localstripe: str, acme_at_shop: dict, shop_offers: dict
) -> None:
    await _register(localstripe, "http://127.0.0.1:9/nowhere")  # the events go nowhere
    config = payment_config(shop.settings, str(shop.client.base_url))
    paid = await _checkout(shop, acme_at_shop, shop_offers, "card-stripe")
    assert await _buyer_confirms(localstripe, paid["clientSecret"], VISA) == "succeeded"
    await _overdue(shop, paid["order"]["id"])
    assert await sweep_once(shop.session_factory, None) == 0  # without the Stripe configuration: left alone
    assert await sweep_once(shop.session_factory, None, config) == 1
    placed = await _order(shop, acme_at_shop, paid["order"]["id"])
    assert (placed["status"], placed["paymentStatus"]) == ("PLACED", "PAID")

    abandoned = await _checkout(shop, acme_at_shop, shop_offers, "card-stripe")  # never confirmed
    await _overdue(shop, abandoned["order"]["id"])
    assert await sweep_once(shop.session_factory, None, config) == 1
    assert await _attempt(shop, abandoned["order"]["id"], "EXPIRED") == "EXPIRED"
    cart = (await shop.data(CART, headers=acme_at_shop))["cart"]
    assert cart["id"] == abandoned["order"]["id"] and cart["status"] == "DRAFT"
    intent_id = abandoned["clientSecret"].split("_secret_")[0]
    assert (await _intent(localstripe, intent_id))["status"] == "canceled"  # it can no longer be paid


# --- a Stripe account per tenant ---------------------------------------------------------------------------

DEMO_KEYS = {"secret_key": "sk_test_demo_own", "publishable_key": "pk_test_demo_own", "webhook_secret": "whsec_demo"}
OTHER_KEYS = {"secret_key": "sk_test_other_own", "publishable_key": "pk_test_other_own", "webhook_secret": "whsec_o"}
SECRETS.update({DEMO_KEYS["secret_key"], DEMO_KEYS["webhook_secret"]})
SECRETS.update({OTHER_KEYS["secret_key"], OTHER_KEYS["webhook_secret"]})
TENANT_METHODS = {
    "tenants": [
        {"externalId": "demo", "paymentMethods": METHODS["tenants"][0]["paymentMethods"][:1]},
        {
            "externalId": "other",
            "paymentMethods": METHODS["tenants"][0]["paymentMethods"][:1],
            "shippingMethods": [{"code": "standard", "name": "Standard delivery", "price": "5.00"}],
        },
    ]
}


@pytest.fixture
async def two_accounts(
    database_url: str, localstripe: str, other_localstripe: str, tmp_path: Path
) -> AsyncIterator[Gateway]:
    """Each tenant with a Stripe account of its own (no deployment-wide one): `demo` at one localstripe,
    `other` at the other, each posting its events to its tenant's endpoint, signed with its own secret."""
    accounts = {"demo": {**DEMO_KEYS, "api_base": localstripe}, "other": {**OTHER_KEYS, "api_base": other_localstripe}}
    async with served(database_url, stripe_tenants=accounts) as gw:
        data = tmp_path / "stripe-tenants.json"
        data.write_text(json.dumps(TENANT_METHODS))
        await import_file(gw.session_factory, data)
        await _register(localstripe, f"{gw.client.base_url}{WEBHOOK}/demo", DEMO_KEYS["webhook_secret"])
        await _register(other_localstripe, f"{gw.client.base_url}{WEBHOOK}/other", OTHER_KEYS["webhook_secret"])
        yield gw


async def _absent(localstripe: str, intent_id: str) -> bool:
    async with httpx.AsyncClient() as c:
        return (await c.get(f"{localstripe}/v1/payment_intents/{intent_id}", auth=("sk_test_x", ""))).status_code == 404


async def test_each_tenant_pays_on_its_own_stripe_account_and_webhook_endpoint(
    two_accounts: Gateway, localstripe: str, other_localstripe: str
) -> None:
    gw = two_accounts
    acme = await gw.as_user("buyer@acme.example")
    initech = await gw.as_user("buyer@initech.example", key=OTHER_KEY)
    a = await _checkout(gw, acme, await offer_ids(gw, acme), "card-stripe")
    b = await _checkout(
        gw, initech, await offer_ids(gw, initech), "card-stripe", sku="INITECH-WIDGET", address="INITECH-HQ"
    )
    assert (a["publishableKey"], b["publishableKey"]) == (DEMO_KEYS["publishable_key"], OTHER_KEYS["publishable_key"])
    a_intent, b_intent = (p["clientSecret"].split("_secret_")[0] for p in (a, b))
    # each intent was created on its tenant's account, and only there
    assert (await _intent(localstripe, a_intent))["metadata"]["order_key"] == a["order"]["reference"]
    assert (await _intent(other_localstripe, b_intent))["metadata"]["order_key"] == b["order"]["reference"]
    assert await _absent(other_localstripe, a_intent) and await _absent(localstripe, b_intent)
    async with gw.session_factory() as s:
        accounts = dict((await s.execute(select(Payment.order_id, Payment.provider_account))).all())
    assert accounts == {a["order"]["id"]: "DEMO", b["order"]["id"]: "OTHER"}

    # localstripe delivers each account's own signed event to its tenant's endpoint
    assert await _buyer_confirms(localstripe, a["clientSecret"], VISA, DEMO_KEYS["secret_key"]) == "succeeded"
    assert await _buyer_confirms(other_localstripe, b["clientSecret"], VISA, OTHER_KEYS["secret_key"]) == "succeeded"
    assert (await _until(gw, acme, a["order"]["id"], "paymentStatus", "PAID"))["status"] == "PLACED"
    assert (await _until(gw, initech, b["order"]["id"], "paymentStatus", "PAID"))["status"] == "PLACED"
    async with gw.session_factory() as s:
        received = list(await s.scalars(select(ProviderEvent.type).order_by(ProviderEvent.type)))
    assert received.count("payment_intent.succeeded") == 2


async def test_an_event_of_one_tenants_account_never_moves_another_tenants_payment(
    two_accounts: Gateway, localstripe: str, other_localstripe: str
) -> None:
    gw = two_accounts
    acme = await gw.as_user("buyer@acme.example")
    a = await _checkout(gw, acme, await offer_ids(gw, acme), "card-stripe")
    a_intent = a["clientSecret"].split("_secret_")[0]
    paid = {**await _intent(localstripe, a_intent), "status": "succeeded"}
    # signed with demo's secret, sent to other's endpoint: not other's signature
    body, headers = _signed("payment_intent.succeeded", paid, secret=DEMO_KEYS["webhook_secret"])
    assert (await gw.client.post(f"{WEBHOOK}/other", content=body, headers=headers)).status_code == 400
    # no deployment-wide account here: its endpoint, and a tenant's without an account of its own, are not there
    assert (await gw.client.post(WEBHOOK, content=body, headers=headers)).status_code == 404
    assert (await gw.client.post(f"{WEBHOOK}/nobody", content=body, headers=headers)).status_code == 404
    # signed with other's own secret (other's account, confused or compromised) about demo's payment: no effect
    body, headers = _signed("payment_intent.succeeded", paid, secret=OTHER_KEYS["webhook_secret"])
    answer = await gw.client.post(f"{WEBHOOK}/other", content=body, headers=headers)
    assert answer.status_code == 200 and answer.json()["message"] == "no attempt of this gateway", answer.text
    body, headers = _signed("payment_intent.payment_failed", paid, secret=OTHER_KEYS["webhook_secret"])
    assert (await gw.client.post(f"{WEBHOOK}/other", content=body, headers=headers)).status_code == 200
    body, headers = _signed("payment_intent.canceled", paid, secret=OTHER_KEYS["webhook_secret"])
    assert (await gw.client.post(f"{WEBHOOK}/other", content=body, headers=headers)).json()["message"] != "processed"
    still = await _order(gw, acme, a["order"]["id"])
    assert (still["status"], still["paymentStatus"]) == ("PAYMENT_PENDING", "AUTHORIZATION_PENDING")
    assert still["transactions"] == []
    assert (await _intent(localstripe, a_intent))["status"] == "requires_payment_method"
    # the same event signed by demo's own account, on demo's endpoint: paid
    body, headers = _signed("payment_intent.succeeded", paid, secret=DEMO_KEYS["webhook_secret"])
    answer = await gw.client.post(f"{WEBHOOK}/demo", content=body, headers=headers)
    assert answer.status_code == 200 and answer.json()["message"] == "processed", answer.text
    assert (await _order(gw, acme, a["order"]["id"]))["paymentStatus"] == "PAID"


async def test_a_tenants_refund_is_made_on_its_own_account(
    two_accounts: Gateway, localstripe: str, other_localstripe: str
) -> None:
    """The operator's refund of a payment made on a tenant's own account goes to that account, with its key,
    and never to another tenant's."""
    gw = two_accounts
    acme = await gw.as_user("buyer@acme.example")
    operator = await gw.as_user("operator@demo.example", client="OPERATOR")
    paid = await _checkout(gw, acme, await offer_ids(gw, acme), "card-stripe")
    assert await _buyer_confirms(localstripe, paid["clientSecret"], VISA, DEMO_KEYS["secret_key"]) == "succeeded"
    order_id = paid["order"]["id"]
    await _until(gw, acme, order_id, "paymentStatus", "PAID")
    part = (Decimal(paid["order"]["total"]["amount"]) / 2).quantize(Decimal("0.01"))
    refund = {"orderId": order_id, "amount": str(part), "reason": "damaged", "idempotencyKey": "tenant-r1"}
    done = (await gw.data(REFUND, {"input": refund}, operator))["refundOrder"]
    assert done["errors"] == [] and done["transaction"]["status"] == "SUCCEEDED", done
    async with gw.session_factory() as s:
        stripe_refund_id = await s.scalar(
            select(PaymentTransaction.provider_reference).where(PaymentTransaction.id == done["transaction"]["id"])
        )
    async with httpx.AsyncClient() as c:
        own = await c.get(f"{localstripe}/v1/refunds/{stripe_refund_id}", auth=(DEMO_KEYS["secret_key"], ""))
        foreign = await c.get(f"{other_localstripe}/v1/refunds/{stripe_refund_id}", auth=("sk_test_x", ""))
    assert own.status_code == 200 and own.json()["amount"] == int(part * 100), own.text
    assert foreign.status_code == 404, foreign.text
    assert (await _order(gw, acme, order_id))["refundedAmount"]["amount"] == str(part)


async def test_a_tenants_early_end_and_reconciliation_go_to_its_own_account(
    two_accounts: Gateway, localstripe: str, other_localstripe: str
) -> None:
    gw = two_accounts
    initech = await gw.as_user("buyer@initech.example", key=OTHER_KEY)
    offers = await offer_ids(gw, initech)
    gone = await _checkout(gw, initech, offers, "card-stripe", sku="INITECH-WIDGET", address="INITECH-HQ")
    canceled = (await gw.data(CANCEL_PAYMENT, {"key": gone["orderKey"]}, initech))["cancelPayment"]
    assert canceled["errors"] == [], canceled
    # the release goes to other's account only: without it configured, it waits (never another account)
    config = payment_config(gw.settings, str(gw.client.base_url))
    unconfigured = replace(config, stripe_tenants={"DEMO": config.stripe_tenants["DEMO"]})
    assert await release_once(gw.session_factory, unconfigured) == 0
    assert await _release_state(gw, gone["order"]["id"]) == [("CANCELED", True)]
    async with gw.session_factory() as s:
        due = await s.scalar(select(Payment.release_due_at).where(Payment.order_id == gone["order"]["id"]))
        assert due > utcnow()  # tried again a minute later
        await s.execute(update(Payment).where(Payment.order_id == gone["order"]["id"]).values(release_due_at=utcnow()))
        await s.commit()
    assert await release_once(gw.session_factory, config) == 1
    assert (await _intent(other_localstripe, gone["clientSecret"].split("_secret_")[0]))["status"] == "canceled"
    # an overdue attempt of other's is reconciled with other's account by the sweep
    late = await _checkout(gw, initech, offers, "card-stripe", sku="INITECH-WIDGET", address="INITECH-HQ")
    await _register(other_localstripe, "http://127.0.0.1:9/nowhere", OTHER_KEYS["webhook_secret"])
    paid = await _buyer_confirms(other_localstripe, late["clientSecret"], VISA, OTHER_KEYS["secret_key"])
    assert paid == "succeeded"
    await _overdue(gw, late["order"]["id"])
    assert await sweep_once(gw.session_factory, None, config) == 1
    assert (await _order(gw, initech, late["order"]["id"]))["paymentStatus"] == "PAID"


# --- configuration ---------------------------------------------------------------------------------------------


def test_serve_refuses_a_stripe_method_without_keys(tmp_path: Path) -> None:
    data = tmp_path / "methods.json"
    data.write_text(json.dumps(METHODS))
    env = {k: v for k, v in os.environ.items() if not k.startswith("GATEWAY_STRIPE_")} | {
        "GATEWAY_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/x.db",
        "GATEWAY_ENV": "test",
    }
    cli = [sys.executable, "-m", "app.cli"]
    run = subprocess.run([*cli, "import", str(DEMO_FILE)], env=env, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    run = subprocess.run([*cli, "import", str(data)], env=env, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    port = str(free_port())
    run = subprocess.run([*cli, "serve", "--port", port], env=env, capture_output=True, text=True, timeout=120)
    assert run.returncode == 2, run.stderr
    assert run.stderr.strip().count("\n") == 0 and "GATEWAY_STRIPE_SECRET_KEY" in run.stderr, run.stderr
    assert "card-stripe" in run.stderr and "Traceback" not in run.stderr
    # per tenant: demo on the deployment-wide account (complete), other on an account of its own lacking keys
    data.write_text(json.dumps(TENANT_METHODS))
    run = subprocess.run([*cli, "import", str(data)], env=env, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    env |= {
        "GATEWAY_STRIPE_SECRET_KEY": SECRET_KEY,
        "GATEWAY_STRIPE_PUBLISHABLE_KEY": PUBLISHABLE_KEY,
        "GATEWAY_STRIPE_WEBHOOK_SECRET": WEBHOOK_SECRET,
        "GATEWAY_STRIPE_SECRET_KEY__OTHER": OTHER_KEYS["secret_key"],
    }
    run = subprocess.run([*cli, "serve", "--port", port], env=env, capture_output=True, text=True, timeout=120)
    assert run.returncode == 2, run.stderr
    wanted = "GATEWAY_STRIPE_PUBLISHABLE_KEY__OTHER, GATEWAY_STRIPE_WEBHOOK_SECRET__OTHER are not set"
    assert run.stderr.strip().count("\n") == 0 and wanted in run.stderr and "'other'" in run.stderr, run.stderr
    assert OTHER_KEYS["secret_key"] not in run.stderr and SECRET_KEY not in run.stderr


def test_stripe_keys_can_come_from_a_secrets_directory(tmp_path: Path) -> None:
    for name, value in (
        ("gateway_stripe_secret_key", SECRET_KEY),
        ("gateway_stripe_publishable_key", PUBLISHABLE_KEY),
        ("gateway_stripe_webhook_secret", WEBHOOK_SECRET),
    ):
        (tmp_path / name).write_text(value + "\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith("GATEWAY_STRIPE_")} | {
        "GATEWAY_SECRETS_DIR": str(tmp_path)
    }
    probe = "from app.settings import get_settings as g; s = g(); print(s.stripe_missing(), repr(s.stripe_secret_key))"
    run = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "[] SecretStr('**********')", run.stdout  # read, and never shown


def test_a_tenants_stripe_keys_come_from_the_environment_or_secrets_files(tmp_path: Path) -> None:
    """GATEWAY_STRIPE_<KEY>__<TENANT>: the tenant's external id in upper case, other characters `_`; a file of
    that name in GATEWAY_SECRETS_DIR; the environment wins over a file; never shown."""
    (tmp_path / "gateway_stripe_publishable_key__other_tenant").write_text("pk_test_from_file\n")
    (tmp_path / "gateway_stripe_webhook_secret__other_tenant").write_text("whsec_from_file\n")
    (tmp_path / "gateway_stripe_secret_key__other_tenant").write_text("sk_test_from_file\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith("GATEWAY_STRIPE_")} | {
        "GATEWAY_SECRETS_DIR": str(tmp_path),
        "GATEWAY_STRIPE_SECRET_KEY__OTHER_TENANT": "sk_test_from_env",
    }
    probe = (
        "from app.settings import get_settings as g; from app.http.payments import payment_config as p; s = g(); "
        "a = s.stripe_account('other-tenant'); c = p(s, 'http://x'); "
        "print(s.stripe_missing('other-tenant'), s.stripe_missing('demo'), s.stripe_account('demo')); "
        "print(repr(a.secret_key), a.publishable_key, repr(a.webhook_secret)); "
        "k = c.stripe_keys('OTHER_TENANT'); "
        "print(c.stripe_account_of('other-tenant'), k.secret_key, c.stripe_account_of('demo')); "
        "print(repr(s))"
    )
    run = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    lines = run.stdout.strip().splitlines()
    names = ["GATEWAY_STRIPE_SECRET_KEY", "GATEWAY_STRIPE_PUBLISHABLE_KEY", "GATEWAY_STRIPE_WEBHOOK_SECRET"]
    assert lines[0] == f"[] {names} None", lines  # other-tenant complete; demo on the (unset) deployment-wide one
    assert lines[1] == "SecretStr('**********') pk_test_from_file SecretStr('**********')", lines
    assert lines[2] == "OTHER_TENANT sk_test_from_env None", lines  # the environment over the file
    assert "sk_test_from" not in lines[3] and "whsec_from_file" not in lines[3], lines
