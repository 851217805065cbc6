"""The contract of the one placement path (app/services/checkout/placement.py) over HTTP, on both databases:
the four entry points that place or pay an order give a redirect payment the same meaning, apply the same
profile rule, and treat a missing shipping method the same way (docs/payments.md)."""

from __future__ import annotations

import pytest
from sqlalchemy import update

from app.models import User
from tests.support.documents import PLACE, offer_ids, ready_draft
from tests.support.gateway import Gateway
from tests.support.payments import CART, PAY, cart_with, checkout, codes, decide, served

FROM_CART = """mutation($input: CreateOrderFromCartInput!) { createOrderFromCart(input: $input) {
  order { id reference status paymentStatus } nextStep errors { code field message } } }"""
STATE = """query($id: ID!) { order(id: $id) { __typename id reference status paymentStatus
  shippingTotal { amount } logisticOrders { id } } }"""
DRAFT_STATE = "query($id: ID!) { draftOrder(id: $id) { id status isCart shippingTotal { amount } } }"

PLACING = ("placeDraftOrder", "checkoutCart", "createOrderFromCart")


async def _start(gw: Gateway, headers: dict, offers: dict[str, str], entry: str, method: str) -> tuple[dict, dict]:
    """Start a payment with `method` from `entry` on a fresh one-line order: (order, payload)."""
    if entry == "placeDraftOrder":
        draft = await ready_draft(gw, headers, offers, "NOTEBOOK", 10)
        p = (await gw.data(PLACE, {"id": draft["id"], "input": {"paymentMethodId": method}}, headers))[
            "placeDraftOrder"
        ]
        return p["order"], p
    await cart_with(gw, headers, offers, {"NOTEBOOK": 10})
    if entry == "checkoutCart":
        p = await checkout(gw, headers, paymentMethodId=method)
        result = p["result"] or {}
        return result.get("order"), {**p, "nextStep": result.get("nextStep")}
    inp = {"action": "CHECKOUT", "paymentMethodId": method}
    p = (await gw.data(FROM_CART, {"input": inp}, headers))["createOrderFromCart"]
    return p["order"], p


async def _state(gw: Gateway, headers: dict, order_id: str) -> dict:
    return (await gw.data(STATE, {"id": order_id}, headers))["order"]


@pytest.mark.parametrize("entry", PLACING)
async def test_a_redirect_payment_holds_the_order_whatever_places_it(database_url: str, entry: str) -> None:
    async with served(database_url) as gw:
        acme = await gw.as_user("buyer@acme.example")
        offers = await offer_ids(gw, acme)
        order, p = await _start(gw, acme, offers, entry, "card-redirect")
        assert p["errors"] == [] and p["nextStep"], p
        held = await _state(gw, acme, order["id"])
        # on the payment page: PAYMENT_PENDING, no logistic order yet, whoever placed it
        assert (held["__typename"], held["status"], held["paymentStatus"]) == (
            "Order",
            "PAYMENT_PENDING",
            "AUTHORIZATION_PENDING",
        )
        assert held["logisticOrders"] == []
        # refused: the draft is back (the cart again when it came from the cart)
        await decide(p["nextStep"], "refuse")
        back = (await gw.data(DRAFT_STATE, {"id": order["id"]}, acme))["draftOrder"]
        assert back["status"] == "DRAFT" and back["isCart"] == (entry != "placeDraftOrder")
        if entry != "placeDraftOrder":
            assert (await gw.data(CART, headers=acme))["cart"]["id"] == order["id"]
        # approved the second time: placed and paid, one logistic order per supplier
        again = await gw.data(PLACE, {"id": order["id"], "input": {"paymentMethodId": "card-redirect"}}, acme)
        await decide(again["placeDraftOrder"]["nextStep"], "approve")
        done = await _state(gw, acme, order["id"])
        assert (done["status"], done["paymentStatus"]) == ("PLACED", "PAID") and done["logisticOrders"]


@pytest.mark.parametrize("entry", PLACING)
async def test_a_direct_payment_places_the_order_whatever_places_it(database_url: str, entry: str) -> None:
    async with served(database_url) as gw:
        acme = await gw.as_user("buyer@acme.example")
        offers = await offer_ids(gw, acme)
        order, p = await _start(gw, acme, offers, entry, "bank-wire")
        assert p["errors"] == [] and p["nextStep"] is None, p
        placed = await _state(gw, acme, order["id"])
        assert (placed["status"], placed["paymentStatus"]) == ("PLACED", "AWAITING_PAYMENT")
        assert placed["logisticOrders"]


async def test_paying_a_placed_order_keeps_it_placed(database_url: str) -> None:
    async with served(database_url) as gw:
        acme = await gw.as_user("buyer@acme.example")
        offers = await offer_ids(gw, acme)
        await cart_with(gw, acme, offers, {"NOTEBOOK": 10})
        saved = (await gw.data(FROM_CART, {"input": {"action": "SAVE_ORDER"}}, acme))["createOrderFromCart"]
        assert saved["errors"] == [] and saved["nextStep"] is None
        assert (saved["order"]["status"], saved["order"]["paymentStatus"]) == ("PLACED", "AWAITING_PAYMENT")
        key = saved["order"]["reference"]
        p = (await gw.data(PAY, {"key": key, "method": "card-redirect"}, acme))["payOrder"]
        assert p["errors"] == [] and p["result"]["__typename"] == "RedirectPayment"
        state = await _state(gw, acme, saved["order"]["id"])
        assert (state["status"], state["paymentStatus"]) == ("PLACED", "AUTHORIZATION_PENDING")
        await decide(p["result"]["nextStep"], "refuse")
        state = await _state(gw, acme, saved["order"]["id"])
        assert (state["status"], state["paymentStatus"]) == ("PLACED", "REFUSED")
        p = (await gw.data(PAY, {"key": key, "method": "card-redirect"}, acme))["payOrder"]
        await decide(p["result"]["nextStep"], "approve")
        state = await _state(gw, acme, saved["order"]["id"])
        assert (state["status"], state["paymentStatus"]) == ("PLACED", "PAID")


async def _set_profile(gw: Gateway, email: str, completed: bool) -> None:
    async with gw.session_factory() as s, s.begin():
        await s.execute(update(User).where(User.email == email).values(profile_completed=completed))


async def test_the_profile_rule_is_the_same_at_every_entry_point(database_url: str) -> None:
    async with served(database_url) as gw:
        email = "incomplete@acme.example"
        buyer = await gw.as_user(email)
        offers = await offer_ids(gw, buyer)
        # a placed order of this buyer, to pay later: placed while the profile was complete
        await _set_profile(gw, email, True)
        draft = await ready_draft(gw, buyer, offers, "NOTEBOOK", 10)
        placed = (await gw.data(PLACE, {"id": draft["id"]}, buyer))["placeDraftOrder"]
        assert placed["errors"] == []
        await _set_profile(gw, email, False)

        draft = await ready_draft(gw, buyer, offers, "NOTEBOOK", 10)
        p = (await gw.data(PLACE, {"id": draft["id"]}, buyer))["placeDraftOrder"]
        assert codes(p) == ["PROFILE_INCOMPLETE"] and p["order"] is None
        cart = await cart_with(gw, buyer, offers, {"NOTEBOOK": 10})
        assert codes(await checkout(gw, buyer)) == ["PROFILE_INCOMPLETE"]
        for action in ("SAVE_ORDER", "CHECKOUT"):
            p = (await gw.data(FROM_CART, {"input": {"action": action}}, buyer))["createOrderFromCart"]
            assert codes(p) == ["PROFILE_INCOMPLETE"] and p["order"] is None, action
        key = placed["order"]["reference"]
        p = (await gw.data(PAY, {"key": key, "method": "bank-wire"}, buyer))["payOrder"]
        assert codes(p) == ["PROFILE_INCOMPLETE"] and p["result"] is None
        # nothing was placed or started: the cart is still the cart, the draft still a draft
        assert (await gw.data(CART, headers=buyer))["cart"]["id"] == cart["id"]
        assert (await gw.data(DRAFT_STATE, {"id": draft["id"]}, buyer))["draftOrder"]["status"] == "DRAFT"
        # completed: every entry point places
        await _set_profile(gw, email, True)
        assert (await checkout(gw, buyer, paymentMethodId="bank-wire"))["errors"] == []


async def test_without_a_shipping_method_an_order_is_placed_as_shown_with_no_shipping_charge(
    database_url: str,
) -> None:
    """The decision (docs/payments.md, "Shipping methods"): placeDraftOrder and createOrderFromCart place a
    draft without a shipping method with no shipping charge, exactly as its totals showed; checkoutCart's input
    always names one. A draft with a method is charged its price, shown before and frozen at placement."""
    async with served(database_url) as gw:
        acme = await gw.as_user("buyer@acme.example")
        offers = await offer_ids(gw, acme)
        draft = await ready_draft(gw, acme, offers, "NOTEBOOK", 10)
        shown = (await gw.data(DRAFT_STATE, {"id": draft["id"]}, acme))["draftOrder"]["shippingTotal"]
        p = (await gw.data(PLACE, {"id": draft["id"]}, acme))["placeDraftOrder"]
        assert p["errors"] == [] and shown == {"amount": "0.00"}
        assert (await _state(gw, acme, draft["id"]))["shippingTotal"] == shown

        await cart_with(gw, acme, offers, {"NOTEBOOK": 10})
        p = (await gw.data(FROM_CART, {"input": {"action": "SAVE_ORDER"}}, acme))["createOrderFromCart"]
        assert p["errors"] == []
        assert (await _state(gw, acme, p["order"]["id"]))["shippingTotal"] == {"amount": "0.00"}

        draft = await ready_draft(gw, acme, offers, "NOTEBOOK", 10)
        set_method = """mutation($id: ID!) { updateDraftOrder(id: $id, input: {shippingMethodId: "standard"}) {
          draftOrder { shippingTotal { amount } } errors { code } } }"""
        updated = (await gw.data(set_method, {"id": draft["id"]}, acme))["updateDraftOrder"]
        assert updated["errors"] == [] and updated["draftOrder"]["shippingTotal"]["amount"] != "0.00"
        p = (await gw.data(PLACE, {"id": draft["id"]}, acme))["placeDraftOrder"]
        assert p["errors"] == []
        assert (await _state(gw, acme, draft["id"]))["shippingTotal"] == updated["draftOrder"]["shippingTotal"]
