"""Signed callbacks of the sandbox payment service, payOrder, placeDraftOrder with a payment method, and the
concurrency of checkouts and callbacks (one process and two), on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import time

import httpx
import pytest
from sqlalchemy import func, select

from app.models import Offer, Payment
from tests.support.documents import PLACE, offer_ids, ready_draft
from tests.support.gateway import Gateway
from tests.support.payments import (
    CALLBACK,
    CART,
    ORDER,
    PAY,
    cart_with,
    checkout,
    codes,
    decide,
    events,
    pending,
    served,
    signed_callback,
    snapshot,
)
from tests.support.servers import gateways
from tests.support.users import extra_buyers


async def test_a_forged_callback_is_refused_and_changes_nothing(
    live: Gateway, live_acme: dict, live_offers: dict
) -> None:
    payment_id, key, amount = await pending(live, live_acme, live_offers)
    body, headers = signed_callback(payment_id, key, "APPROVED", amount)
    before = await snapshot(live)
    forged = await live.client.post(CALLBACK, content=body, headers={**headers, "x-sandbox-signature": "0" * 64})
    unsigned = await live.client.post(CALLBACK, content=body, headers={"content-type": "application/json"})
    tampered = await live.client.post(CALLBACK, content=body.replace(b"APPROVED", b"REFUSED"), headers=headers)
    assert (forged.status_code, unsigned.status_code, tampered.status_code) == (401, 401, 401)
    assert await snapshot(live) == before
    assert await events(live, payment_id) == ["STARTED"]


async def test_a_replayed_callback_has_one_effect(live: Gateway, live_acme: dict, live_offers: dict) -> None:
    payment_id, key, amount = await pending(live, live_acme, live_offers)
    body, headers = signed_callback(payment_id, key, "APPROVED", amount)
    first = await live.client.post(CALLBACK, content=body, headers=headers)
    assert first.status_code == 200 and first.json()["status"] == "APPROVED"
    after_first = await snapshot(live)
    again = await live.client.post(CALLBACK, content=body, headers=headers)
    assert again.status_code == 200 and again.json()["status"] == "APPROVED"
    assert await snapshot(live) == after_first
    order = (await live.data(ORDER, {"id": key}, live_acme))["order"]
    assert (order["status"], order["paymentStatus"]) == ("PLACED", "PAID")
    assert await events(live, payment_id) == ["APPROVED", "STARTED"]
    exposed = (await live.client.get("/metrics")).text
    assert 'gateway_payments_total{outcome="APPROVED"}' in exposed and 'outcome="STARTED"' in exposed


@pytest.mark.parametrize("defect", ["stale", "amount", "order key"])
async def test_a_callback_that_does_not_match_is_refused_and_recorded(
    live: Gateway, live_acme: dict, live_offers: dict, defect: str
) -> None:
    payment_id, key, amount = await pending(live, live_acme, live_offers)
    args = {
        "stale": (payment_id, key, "APPROVED", amount, time.time() - 301),
        "amount": (payment_id, key, "APPROVED", "0.01", None),
        "order key": (payment_id, "ORD-000000-XXXXXX", "APPROVED", amount, None),
    }[defect]
    body, headers = signed_callback(*args[:4], at=args[4])
    resp = await live.client.post(CALLBACK, content=body, headers=headers)
    assert resp.status_code == 400 and resp.json()["status"] == "PENDING"
    assert await events(live, payment_id) == ["CALLBACK_REFUSED", "STARTED"]
    order = (await live.data(ORDER, {"id": key}, live_acme))["order"]
    assert (order["status"], order["paymentStatus"]) == ("PAYMENT_PENDING", "AUTHORIZATION_PENDING")


async def test_two_identical_callbacks_at_once_have_one_effect(
    live: Gateway, live_acme: dict, live_offers: dict
) -> None:
    payment_id, key, amount = await pending(live, live_acme, live_offers)
    body, headers = signed_callback(payment_id, key, "APPROVED", amount)
    answers = await asyncio.gather(*(live.client.post(CALLBACK, content=body, headers=headers) for _ in range(6)))
    assert {a.status_code for a in answers} == {200}
    assert sorted(a.json()["message"] for a in answers) == ["already processed"] * 5 + ["processed"]
    order = (await live.data(ORDER, {"id": key}, live_acme))["order"]
    assert len(order["logisticOrders"]) == 1 and order["paymentStatus"] == "PAID"


@pytest.mark.slow
async def test_two_processes_receive_the_same_callback_at_once(database_url: str) -> None:
    secret = {"GATEWAY_SANDBOX_PAYMENT_SECRET": "sandbox-development-secret", "GATEWAY_ENV": "test"}
    async with served(database_url) as gw:
        acme = await gw.as_user("buyer@acme.example")
        offers = await offer_ids(gw, acme)
        payment_id, key, amount = await pending(gw, acme, offers)
        with gateways(database_url, 2, GATEWAY_PAYMENT_SWEEP_SECONDS="0", **secret) as urls:
            body, headers = signed_callback(payment_id, key, "APPROVED", amount)
            async with httpx.AsyncClient(timeout=60) as client:
                answers = await asyncio.gather(
                    *(client.post(f"{urls[i % 2]}{CALLBACK}", content=body, headers=headers) for i in range(8))
                )
        assert {a.status_code for a in answers} == {200}
        assert [a.json()["message"] for a in answers].count("processed") == 1
        order = (await gw.data(ORDER, {"id": key}, acme))["order"]
        assert (order["status"], order["paymentStatus"], len(order["logisticOrders"])) == ("PLACED", "PAID", 1)


async def test_twelve_carts_checked_out_at_once_then_approved(live: Gateway) -> None:
    buyers = await extra_buyers(live, 12)
    offers = await offer_ids(live, buyers[0])
    for h in buyers:
        await cart_with(live, h, offers, {"STAPLER": 1})
    results = await asyncio.gather(*(checkout(live, h) for h in buyers))
    started = [r for r in results if r["errors"] == []]
    refused = [r for r in results if codes(r) == ["INSUFFICIENT_STOCK"]]
    assert (len(started), len(refused)) == (5, 7)
    pages = await asyncio.gather(*(decide(r["result"]["nextStep"], "approve") for r in started))
    assert all("status=APPROVED" in p.headers["location"] for p in pages)
    async with live.session_factory() as s:
        assert await s.scalar(select(Offer.stock).where(Offer.id == offers["STAPLER"])) == 0
        assert await s.scalar(select(func.count()).select_from(Payment).where(Payment.status == "APPROVED")) == 5
    # The buyers share the ACME account: its placed orders are the five paid ones.
    query = "{ orders(filter: {status: [PLACED]}) { edges { node { paymentStatus } } } }"
    listed = await live.data(query, None, buyers[0])
    assert [e["node"]["paymentStatus"] for e in listed["orders"]["edges"]] == ["PAID"] * 5


async def test_pay_order(live: Gateway, live_acme: dict, live_offers: dict) -> None:
    # An order placed without payment, then paid with the redirect method: approve, then it is paid.
    draft = await ready_draft(live, live_acme, live_offers, "NOTEBOOK", 10)
    placed = (await live.data(PLACE, {"id": draft["id"]}, live_acme))["placeDraftOrder"]["order"]
    assert placed["paymentStatus"] == "AWAITING_PAYMENT"
    refused = (await live.data(PAY, {"key": placed["reference"], "method": "card-redirect"}, live_acme))["payOrder"]
    assert refused["result"]["__typename"] == "RedirectPayment"
    await decide(refused["result"]["nextStep"], "refuse")
    order = (await live.data(ORDER, {"id": placed["id"]}, live_acme))["order"]
    assert (order["status"], order["paymentStatus"]) == ("PLACED", "REFUSED")
    paid = (await live.data(PAY, {"key": placed["reference"], "method": "card-redirect"}, live_acme))["payOrder"]
    await decide(paid["result"]["nextStep"], "approve")
    order = (await live.data(ORDER, {"id": placed["id"]}, live_acme))["order"]
    assert (order["status"], order["paymentStatus"]) == ("PLACED", "PAID")
    assert {lo["paymentStatus"] for lo in order["logisticOrders"]} == {"PAID"}
    assert [x["status"] for x in order["payments"]] == ["REFUSED", "APPROVED"]
    again = (await live.data(PAY, {"key": placed["reference"], "method": "bank-wire"}, live_acme))["payOrder"]
    assert codes(again) == ["ORDER_ALREADY_PAID"]
    # A draft is not payable; another account's order is not found.
    other = await ready_draft(live, live_acme, live_offers, "NOTEBOOK", 1)
    draft_pay = (await live.data(PAY, {"key": other["id"], "method": "bank-wire"}, live_acme))["payOrder"]
    assert codes(draft_pay) == ["ORDER_NOT_PAYABLE"]
    globex = await live.as_user("buyer@globex.example")
    foreign = (await live.data(PAY, {"key": placed["reference"], "method": "bank-wire"}, globex))["payOrder"]
    assert codes(foreign) == ["NOT_FOUND"]


async def test_place_draft_order_with_payment_methods(live: Gateway, live_acme: dict, live_offers: dict) -> None:
    direct = await ready_draft(live, live_acme, live_offers, "NOTEBOOK", 10)
    p = (await live.data(PLACE, {"id": direct["id"], "input": {"paymentMethodId": "bank-wire"}}, live_acme))[
        "placeDraftOrder"
    ]
    assert p["errors"] == [] and p["nextStep"] is None
    assert (p["order"]["status"], p["order"]["paymentStatus"]) == ("PLACED", "AWAITING_PAYMENT")
    redirect = await ready_draft(live, live_acme, live_offers, "NOTEBOOK", 10)
    p = (await live.data(PLACE, {"id": redirect["id"], "input": {"paymentMethodId": "card-redirect"}}, live_acme))[
        "placeDraftOrder"
    ]
    assert p["errors"] == [] and p["nextStep"].startswith(str(live.client.base_url))
    assert (p["order"]["status"], p["order"]["paymentStatus"]) == ("PAYMENT_PENDING", "AUTHORIZATION_PENDING")
    await decide(p["nextStep"], "refuse")
    back = await live.data(
        "query($id: ID!) { draftOrder(id: $id) { status isCart } }", {"id": redirect["id"]}, live_acme
    )
    assert back["draftOrder"] == {"status": "DRAFT", "isCart": False}  # a plain draft again, not a cart
    inactive = (
        await live.data(PLACE, {"id": redirect["id"], "input": {"paymentMethodId": "paypal-legacy"}}, live_acme)
    )["placeDraftOrder"]
    assert codes(inactive) == ["PAYMENT_METHOD_UNAVAILABLE"]
    assert (await live.data(CART, headers=live_acme))["cart"]["lines"] == []
