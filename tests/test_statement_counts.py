"""The number of SQL statements per request does not grow with the rows returned."""

from __future__ import annotations

from app.models import Order
from tests.support.catalog import extra_offers
from tests.support.documents import ADD, PLACE, create_draft, offer_ids
from tests.support.gateway import Gateway

DRAFT_DEEP = """query($id: ID!) { draftOrder(id: $id) { id version
  lines { id quantity unitPrice { amount } total { amount } tax { amount }
          offer { id available price { amount } priceTiers { minQuantity } supplier { name } } variant { sku } }
  issues { code lineId } subtotal { amount } taxTotal { amount } total { amount }
  shippingAddress { city } billingAddress { city } metadata { key } } }"""


async def _draft_with_lines(gw: Gateway, headers: dict, n: int) -> str:
    offers = [o for sku, o in (await offer_ids(gw, headers)).items() if sku.startswith("SC-")][:n]
    assert len(offers) == n
    d = await create_draft(
        gw,
        headers,
        [{"offerId": o, "quantity": 1} for o in offers],
        shippingAddressId="ACME-HQ",
        billingAddressId="ACME-HQ",
        metadata=[{"key": "k", "value": "v"}],
    )
    assert d["errors"] == []
    return d["draftOrder"]["id"]


async def test_reading_a_draft_does_not_grow_with_lines(gw: Gateway) -> None:
    await extra_offers(gw, 50)
    acme = await gw.as_user("buyer@acme.example")
    counts = {}
    for n in (5, 50):
        draft_id = await _draft_with_lines(gw, acme, n)
        counter = gw.count_statements()
        data = await gw.data(DRAFT_DEEP, {"id": draft_id}, acme)
        gw.stop_counting(counter)
        assert len(data["draftOrder"]["lines"]) == n
        counts[n] = counter.count
    print(f"statements: draftOrder with 5 lines = {counts[5]}, with 50 lines = {counts[50]}")
    assert counts[5] == counts[50]


async def test_placement_writes_lines_in_bulk(gw: Gateway) -> None:
    await extra_offers(gw, 50)
    acme = await gw.as_user("buyer@acme.example")
    counts = {}
    for n in (5, 50):
        draft_id = await _draft_with_lines(gw, acme, n)
        counter = gw.count_statements()
        p = await gw.data(PLACE, {"id": draft_id}, acme)
        gw.stop_counting(counter)
        assert p["placeDraftOrder"]["errors"] == []
        # stock reservation is one conditional UPDATE per offer; everything else is bulk
        counts[n] = counter.count - n
    print(
        f"statements: placement of 5 lines = {counts[5] + 5}, of 50 lines = {counts[50] + 50} "
        f"(of which one stock UPDATE per line)"
    )
    assert counts[5] == counts[50]
    async with gw.session_factory() as s:
        assert (await s.get(Order, draft_id)).status == "PLACED"


CART_DEEP = """{ cart { id
  lines { id quantity unitPrice { amount } offer { id available price { amount } } variant { sku } }
  issues { code } subtotal { amount } shippingTotal { amount } total { amount } payments { status }
  shippingAddress { city } } }"""
METHODS = """query($id: ID) { paymentMethods(draftOrderId: $id) { code kind }
  shippingMethods(draftOrderId: $id) { code price { amount } } }"""
CHECKOUT_DIRECT = """mutation { checkoutCart(input: {addressId: "ACME-HQ", paymentMethodId: "bank-wire",
  shippingMethodId: "standard"}) { result { __typename } errors { code } } }"""


async def _cart_of(gw: Gateway, headers: dict, n: int) -> str:
    offers = [o for sku, o in (await offer_ids(gw, headers)).items() if sku.startswith("SC-")][:n]
    cart = (await gw.data("{ cart { id } }", headers=headers))["cart"]["id"]
    lines = [{"offerId": o, "quantity": 1} for o in offers]
    added = await gw.data(ADD, {"id": cart, "lines": lines}, headers)
    assert added["addDraftOrderLines"]["errors"] == []
    return cart


async def test_cart_and_methods_do_not_grow_with_lines(gw: Gateway) -> None:
    from tests.support.users import extra_buyers

    await extra_offers(gw, 50)
    buyers = await extra_buyers(gw, 2)
    reads, checkouts = {}, {}
    for n, headers in zip((5, 50), buyers, strict=True):
        cart = await _cart_of(gw, headers, n)
        counter = gw.count_statements()
        data = await gw.data(CART_DEEP, headers=headers)
        methods = await gw.data(METHODS, {"id": cart}, headers)
        gw.stop_counting(counter)
        assert len(data["cart"]["lines"]) == n and [m["code"] for m in methods["shippingMethods"]] == [
            "standard",
            "express",
        ]
        reads[n] = counter.count
        counter = gw.count_statements()
        done = await gw.data(CHECKOUT_DIRECT, headers=headers)
        gw.stop_counting(counter)
        assert done["checkoutCart"]["errors"] == [] and done["checkoutCart"]["result"]["__typename"] == "DirectPayment"
        checkouts[n] = counter.count - n  # the stock reservation is one conditional UPDATE per offer
    print(
        f"statements: cart + methods with 5 lines = {reads[5]}, with 50 lines = {reads[50]}; "
        f"checkoutCart of 5 lines = {checkouts[5] + 5}, of 50 lines = {checkouts[50] + 50}"
    )
    assert reads[5] == reads[50]
    assert checkouts[5] == checkouts[50]
