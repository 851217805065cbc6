"""The cart checkout over real HTTP on SQLite and PostgreSQL: cart, methods, every rule of checkoutCart, the
sandbox redirect flow approved and refused through its page, direct payments, an unreachable provider."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import select, update

from app.models import Offer, Payment
from tests.support.documents import UPDATE, offer_ids
from tests.support.gateway import Gateway
from tests.support.payments import CART, ORDER, cart_with, checkout, codes, decide, served, snapshot
from tests.support.ports import free_port

DRAFT_PAYMENTS = "query($id: ID!) { draftOrder(id: $id) { status payments { status } } }"


async def stock_of(gw: Gateway, offer_id: str) -> int:
    async with gw.session_factory() as s:
        return await s.scalar(select(Offer.stock).where(Offer.id == offer_id))


async def test_redirect_checkout_approved_on_the_payment_page(
    live: Gateway, live_acme: dict, live_offers: dict
) -> None:
    cart = await cart_with(live, live_acme, live_offers, {"PAPER-A4": 10})
    assert cart["isCart"] and len(cart["lines"]) == 1
    p = await checkout(live, live_acme)
    assert p["errors"] == [] and p["result"]["__typename"] == "RedirectPayment"
    order = p["result"]["order"]
    assert (order["status"], order["paymentStatus"]) == ("PAYMENT_PENDING", "AUTHORIZATION_PENDING")
    assert p["result"]["orderKey"] == order["reference"]
    # ACME's price 4.20 x 10 = 42.00, + 20 % tax 8.40, + standard shipping 5.00.
    assert order["total"]["amount"] == "55.40"
    assert await stock_of(live, live_offers["PAPER-A4"]) == 10000 - 10  # held while the payment is pending
    fresh = (await live.data(CART, headers=live_acme))["cart"]
    assert fresh["id"] != cart["id"] and fresh["lines"] == []
    page = await decide(p["result"]["nextStep"], "approve")
    assert page.status_code == 303 and "status=APPROVED" in page.headers["location"]
    assert f"orderKey={order['reference']}" in page.headers["location"]
    placed = (await live.data(ORDER, {"id": order["reference"]}, live_acme))["order"]
    assert (placed["status"], placed["paymentStatus"]) == ("PLACED", "PAID")
    assert placed["logisticOrders"] and {lo["paymentStatus"] for lo in placed["logisticOrders"]} == {"PAID"}
    assert [(x["status"], x["amount"]["amount"], x["method"]["code"]) for x in placed["payments"]] == [
        ("APPROVED", "55.40", "card-redirect")
    ]
    assert (await live.data(CART, headers=live_acme))["cart"]["lines"] == []
    assert await stock_of(live, live_offers["PAPER-A4"]) == 10000 - 10


async def test_redirect_checkout_refused_gives_the_cart_back(live: Gateway, live_acme: dict, live_offers: dict) -> None:
    cart = await cart_with(live, live_acme, live_offers, {"PAPER-A4": 10})
    p = await checkout(live, live_acme)
    page = await decide(p["result"]["nextStep"], "refuse")
    assert page.status_code == 303 and "status=REFUSED" in page.headers["location"]
    back = (await live.data(CART, headers=live_acme))["cart"]
    assert back["id"] == cart["id"] and back["status"] == "DRAFT"
    assert [(ln["sku"], ln["quantity"]) for ln in back["lines"]] == [("PAPER-A4", 10)]
    assert await stock_of(live, live_offers["PAPER-A4"]) == 10000
    draft = (await live.data(DRAFT_PAYMENTS, {"id": cart["id"]}, live_acme))["draftOrder"]
    assert [x["status"] for x in draft["payments"]] == ["REFUSED"]
    assert (await live.data(ORDER, {"id": cart["id"]}, live_acme))["order"] is None  # a draft again, not an Order
    # The cart can be checked out again, with a direct method this time.
    again = await checkout(live, live_acme, paymentMethodId="bank-wire")
    assert again["errors"] == [] and again["result"]["__typename"] == "DirectPayment"


async def test_direct_checkout_places_the_order(live: Gateway, live_acme: dict, live_offers: dict) -> None:
    cart = await cart_with(live, live_acme, live_offers, {"NOTEBOOK": 10})
    p = await checkout(live, live_acme, paymentMethodId="pay-on-delivery", notes="Leave at the desk")
    assert p["errors"] == [] and p["result"]["__typename"] == "DirectPayment"
    order = p["result"]["order"]
    assert (order["id"], order["status"], order["paymentStatus"]) == (cart["id"], "PLACED", "AWAITING_PAYMENT")
    assert order["logisticOrders"]
    assert (await live.data(CART, headers=live_acme))["cart"]["lines"] == []
    assert await stock_of(live, live_offers["NOTEBOOK"]) == 2000 - 10


async def test_every_rule_is_reported_at_once(live: Gateway, live_offers: dict) -> None:
    incomplete = await live.as_user("incomplete@acme.example")
    await cart_with(live, incomplete, live_offers, {"CHAIR-ERGO": 1})
    p = await checkout(
        live,
        incomplete,
        addressId="ACME-WH",
        paymentMethodId="paypal-legacy",
        shippingMethodId="express",
        notes="x" * 501,
    )
    assert p["result"] is None
    assert codes(p) == [
        "ADDRESS_TYPE_MISMATCH",
        "NOTES_TOO_LONG",
        "PAYMENT_METHOD_UNAVAILABLE",
        "PROFILE_INCOMPLETE",
        "SHIPPING_METHOD_UNAVAILABLE",
    ]
    fields = {e["code"]: e["field"] for e in p["errors"]}
    assert fields["ADDRESS_TYPE_MISMATCH"] == ["input", "addressId"]
    assert fields["NOTES_TOO_LONG"] == ["input", "notes"]
    assert fields["PAYMENT_METHOD_UNAVAILABLE"] == ["input", "paymentMethodId"]
    assert fields["SHIPPING_METHOD_UNAVAILABLE"] == ["input", "shippingMethodId"]


@pytest.mark.parametrize(
    ("lines", "inp", "expected"),
    [
        ({}, {}, ["CART_EMPTY"]),
        ({"PAPER-A4": 10}, {"paymentMethodId": "paypal-legacy"}, ["PAYMENT_METHOD_UNAVAILABLE"]),
        ({"CHAIR-ERGO": 1}, {"shippingMethodId": "express"}, ["SHIPPING_METHOD_UNAVAILABLE"]),
        ({"CHAIR-ERGO": 10}, {"paymentMethodId": "pay-on-delivery"}, ["PAYMENT_METHOD_UNAVAILABLE"]),
        ({"PAPER-A4": 10}, {"notes": "x" * 501}, ["NOTES_TOO_LONG"]),
        ({"PAPER-A4": 10}, {"addressId": "ACME-WH"}, ["ADDRESS_TYPE_MISMATCH"]),
        ({"PAPER-A4": 10}, {"addressId": "GLOBEX-HQ"}, ["ADDRESS_NOT_FOUND"]),
        ({"PAPER-A4": 10}, {"shippingMethodId": "teleport"}, ["SHIPPING_METHOD_UNAVAILABLE"]),
    ],
)
async def test_one_rule_at_a_time(
    live: Gateway, live_acme: dict, live_offers: dict, lines: dict, inp: dict, expected: list[str]
) -> None:
    if lines:
        await cart_with(live, live_acme, live_offers, lines)
    before = await snapshot(live)
    p = await checkout(live, live_acme, **inp)
    assert p["result"] is None and codes(p) == expected, p
    assert await snapshot(live) == before


async def test_insufficient_stock_is_reported_per_line(live: Gateway, live_acme: dict, live_offers: dict) -> None:
    cart = await cart_with(live, live_acme, live_offers, {"STAPLER": 5, "NOTEBOOK": 1})
    async with live.session_factory() as s, s.begin():
        await s.execute(update(Offer).where(Offer.id == live_offers["STAPLER"]).values(stock=2))
    p = await checkout(live, live_acme)
    assert codes(p) == ["INSUFFICIENT_STOCK"]
    stapler = next(ln for ln in cart["lines"] if ln["sku"] == "STAPLER")
    assert p["errors"][0]["lineId"] == stapler["id"]


async def test_an_unreachable_payment_service_changes_nothing(database_url: str) -> None:
    closed = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    async with served(database_url, sandbox_psp_url=closed, psp_timeout_seconds=2) as gw:
        acme = await gw.as_user("buyer@acme.example")
        offers = await offer_ids(gw, acme)
        cart = await cart_with(gw, acme, offers, {"PAPER-A4": 10})
        before = await snapshot(gw)
        p = await checkout(gw, acme, idempotencyKey="psp-down")
        assert p["result"] is None and codes(p) == ["PAYMENT_SERVICE_UNAVAILABLE"]
        assert await snapshot(gw) == before
        assert (await gw.data(CART, headers=acme))["cart"] == cart
        # The key stays free: a retry with a working method goes through.
        direct = await checkout(gw, acme, idempotencyKey="psp-down-2", paymentMethodId="bank-wire")
        assert direct["errors"] == []


async def test_methods_and_the_draft_they_support(live: Gateway, live_acme: dict, live_offers: dict) -> None:
    everything = await live.data(
        "{ paymentMethods { code kind } shippingMethods { code price { amount } } }", headers=live_acme
    )
    assert [m["code"] for m in everything["paymentMethods"]] == [
        "card-redirect",
        "pay-on-delivery",
        "bank-wire",
        "card-authorize",
        "invoice",  # ACME has payment terms (docs/b2b.md)
    ]
    assert [(m["code"], m["price"]["amount"]) for m in everything["shippingMethods"]] == [
        ("standard", "5.00"),
        ("express", "15.00"),
    ]
    cart = await cart_with(live, live_acme, live_offers, {"CHAIR-ERGO": 10})
    query = """query($d: ID) { paymentMethods(draftOrderId: $d) { code } shippingMethods(draftOrderId: $d) { code } }"""
    fitting = await live.data(query, {"d": cart["id"]}, live_acme)
    assert [m["code"] for m in fitting["paymentMethods"]] == [
        "card-redirect",
        "bank-wire",
        "card-authorize",
        "invoice",
    ]  # over 1,000.00
    assert [m["code"] for m in fitting["shippingMethods"]] == ["standard"]  # express does not carry the chair


async def test_shipping_method_on_a_draft(live: Gateway, live_acme: dict, live_offers: dict) -> None:
    cart = await cart_with(live, live_acme, live_offers, {"NOTEBOOK": 10})  # 30.00 + 6.00 tax
    p = (await live.data(UPDATE, {"id": cart["id"], "input": {"shippingMethodId": "express"}}, live_acme))[
        "updateDraftOrder"
    ]
    assert p["errors"] == [] and p["draftOrder"]["total"]["amount"] == "51.00"
    shown = (await live.data(CART, headers=live_acme))["cart"]
    assert shown["shippingTotal"]["amount"] == "15.00"
    await cart_with(live, live_acme, live_offers, {"CHAIR-ERGO": 1})
    issues = (await live.data("{ cart { issues { code blocking } } }", headers=live_acme))["cart"]["issues"]
    assert {"code": "SHIPPING_METHOD_UNAVAILABLE", "blocking": True} in issues
    refused = (await live.data(UPDATE, {"id": cart["id"], "input": {"shippingMethodId": "teleport"}}, live_acme))[
        "updateDraftOrder"
    ]
    assert codes(refused) == ["SHIPPING_METHOD_UNAVAILABLE"]


async def test_one_cart_under_concurrent_first_calls(live: Gateway, live_acme: dict) -> None:
    bodies = await asyncio.gather(*(live.data(CART, headers=live_acme) for _ in range(8)))
    assert len({b["cart"]["id"] for b in bodies}) == 1


async def test_a_pending_payment_expires_and_the_cart_comes_back(
    live: Gateway, live_acme: dict, live_offers: dict
) -> None:
    cart = await cart_with(live, live_acme, live_offers, {"STAPLER": 2})
    p = await checkout(live, live_acme)
    assert p["errors"] == []
    assert await stock_of(live, live_offers["STAPLER"]) == 3
    async with live.session_factory() as s, s.begin():
        await s.execute(update(Payment).values(expires_at=Payment.created_at))  # its time has passed
    back = (await live.data(CART, headers=live_acme))["cart"]
    assert back["id"] == cart["id"] and back["status"] == "DRAFT" and len(back["lines"]) == 1
    assert await stock_of(live, live_offers["STAPLER"]) == 5
    order = (await live.data(DRAFT_PAYMENTS, {"id": cart["id"]}, live_acme))["draftOrder"]
    assert [x["status"] for x in order["payments"]] == ["EXPIRED"]
    # Its payment page can no longer place the order: the callback is refused and recorded.
    page = await decide(p["result"]["nextStep"], "approve")
    assert page.status_code == 303 and "status=EXPIRED" in page.headers["location"]
    again = (await live.data(DRAFT_PAYMENTS, {"id": cart["id"]}, live_acme))["draftOrder"]
    assert again["status"] == "DRAFT" and await stock_of(live, live_offers["STAPLER"]) == 5
