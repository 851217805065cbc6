"""Promotions, vouchers and createOrderFromCart over HTTP on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import func, select, update

from app.models import Address, Offer, OfferPrice, Voucher
from app.services.common import faults
from tests.support.documents import ADD, PLACE, offer_ids, ready_draft
from tests.support.gateway import Gateway
from tests.support.payments import CART, cart_with, codes, decide, served
from tests.support.ports import free_port
from tests.support.servers import gateways
from tests.support.users import extra_buyers

DRAFT_AMOUNTS = """query($id: ID!) { draftOrder(id: $id) {
  lines { sku quantity unitPrice { amount } originalUnitPrice { amount } discount { amount }
          unitPriceAfterDiscount { amount } promotion total { amount } }
  subtotal { amount } discountTotal { amount } amountSaved { amount } taxTotal { amount } total { amount }
  voucher { code discount { amount } } issues { code blocking } } }"""
APPLY = """mutation($id: ID!, $code: String!) { applyVoucher(draftOrderId: $id, code: $code) {
  draftOrder { id voucher { code discount { amount } } discountTotal { amount } amountSaved { amount }
               total { amount } }
  errors { code field } } }"""
REMOVE = "mutation($id: ID!) { removeVoucher(draftOrderId: $id) { draftOrder { voucher { code } } errors { code } } }"
FROM_CART = """mutation($input: CreateOrderFromCartInput!) { createOrderFromCart(input: $input) {
  order { id reference status paymentStatus total { amount } discountTotal { amount } amountSaved { amount }
          voucher { code discount { amount } } lines { sku unitPrice { amount } promotion total { amount } } }
  nextStep errors { code field message } } }"""


async def voucher_uses(gw: Gateway, code: str) -> int:
    async with gw.session_factory() as s:
        return await s.scalar(select(Voucher.used_count).where(Voucher.code == code))


async def test_automatic_promotion_on_a_line(gw: Gateway) -> None:
    globex = await gw.as_user("buyer@globex.example")
    offers = await offer_ids(gw, globex)
    draft = await ready_draft(gw, globex, offers, "PEN-BLUE", 20, address="GLOBEX-HQ")
    d = (await gw.data(DRAFT_AMOUNTS, {"id": draft["id"]}, globex))["draftOrder"]
    line = d["lines"][0]
    assert (line["unitPrice"]["amount"], line["originalUnitPrice"]["amount"]) == ("1.20", "1.20")
    assert (line["discount"]["amount"], line["unitPriceAfterDiscount"]["amount"]) == ("2.40", "1.08")
    assert (line["promotion"], line["total"]["amount"]) == ("PENS-10", "21.60")
    assert (d["amountSaved"]["amount"], d["discountTotal"]["amount"]) == ("2.40", "2.40")
    # Placed: the promotion is frozen with the line.
    placed = (await gw.data(PLACE, {"id": draft["id"]}, globex))["placeDraftOrder"]
    assert placed["errors"] == [] and placed["order"]["total"]["amount"] == "25.92"  # 21.60 + 20 % tax


async def test_quote_lines_keep_their_agreed_price(gw: Gateway, acme: dict) -> None:
    q = await gw.data('mutation { createDraftOrderFromQuote(quoteId: "Q-ACME-1") { draftOrder { id } } }', None, acme)
    d = (await gw.data(DRAFT_AMOUNTS, {"id": q["createDraftOrderFromQuote"]["draftOrder"]["id"]}, acme))["draftOrder"]
    assert {ln["promotion"] for ln in d["lines"]} == {None} and d["amountSaved"]["amount"] == "0.00"


async def test_voucher_rules(gw: Gateway, acme: dict, offers: dict) -> None:
    cart = await cart_with(gw, acme, offers, {"NOTEBOOK": 100})  # 300.00
    p = (await gw.data(APPLY, {"id": cart["id"], "code": "welcome10"}, acme))["applyVoucher"]  # case-insensitive
    assert p["errors"] == [] and p["draftOrder"]["voucher"] == {"code": "WELCOME10", "discount": {"amount": "30.00"}}
    assert p["draftOrder"]["amountSaved"]["amount"] == "30.00"
    assert p["draftOrder"]["total"]["amount"] == "324.00"  # (300.00 - 30.00) + 20 % tax
    again = (await gw.data(APPLY, {"id": cart["id"], "code": "ONCE5"}, acme))["applyVoucher"]
    assert codes(again) == ["VOUCHER_ALREADY_APPLIED"]
    removed = (await gw.data(REMOVE, {"id": cart["id"]}, acme))["removeVoucher"]
    assert removed["errors"] == [] and removed["draftOrder"]["voucher"] is None
    for code, expected in (("NOPE", "VOUCHER_INVALID"), ("EXPIRED10", "VOUCHER_EXPIRED")):
        refused = (await gw.data(APPLY, {"id": cart["id"], "code": code}, acme))["applyVoucher"]
        assert codes(refused) == [expected]
        assert refused["errors"][0]["field"] == ["code"]
    small = await ready_draft(gw, acme, offers, "NOTEBOOK", 16)  # 48.00 (a 50.00 cart and under)
    assert codes((await gw.data(APPLY, {"id": small["id"], "code": "MIN100"}, acme))["applyVoucher"]) == [
        "VOUCHER_MIN_PURCHASE"
    ]
    pens = await ready_draft(gw, acme, offers, "PEN-BLUE", 10)
    assert codes((await gw.data(APPLY, {"id": pens["id"], "code": "NOTEBOOK20"}, acme))["applyVoucher"]) == [
        "VOUCHER_NOT_APPLICABLE"
    ]


async def test_a_voucher_that_stops_qualifying_stays_as_an_issue(gw: Gateway, acme: dict, offers: dict) -> None:
    draft = await ready_draft(gw, acme, offers, "NOTEBOOK", 40)  # 120.00
    assert (await gw.data(APPLY, {"id": draft["id"], "code": "MIN100"}, acme))["applyVoucher"]["errors"] == []
    lines = (await gw.data(DRAFT_AMOUNTS, {"id": draft["id"]}, acme))["draftOrder"]["lines"]
    assert lines
    update_lines = """mutation($id: ID!, $l: [DraftOrderLineUpdateInput!]!) { updateDraftOrderLines(draftOrderId: $id,
      lines: $l) { errors { code } } }"""
    line_id = (await gw.data("query($id: ID!) { draftOrder(id: $id) { lines { id } } }", {"id": draft["id"]}, acme))[
        "draftOrder"
    ]["lines"][0]["id"]
    await gw.data(update_lines, {"id": draft["id"], "l": [{"lineId": line_id, "quantity": 10}]}, acme)
    d = (await gw.data(DRAFT_AMOUNTS, {"id": draft["id"]}, acme))["draftOrder"]
    assert d["voucher"] == {"code": "MIN100", "discount": {"amount": "0.00"}}
    assert {"code": "VOUCHER_MIN_PURCHASE", "blocking": False} in d["issues"]
    placed = (await gw.data(PLACE, {"id": draft["id"]}, acme))["placeDraftOrder"]
    assert placed["errors"] == [] and await voucher_uses(gw, "MIN100") == 0  # gave nothing, counted nothing


async def test_once_per_customer(gw: Gateway, acme: dict, offers: dict) -> None:
    first = await ready_draft(gw, acme, offers, "NOTEBOOK", 10)
    second = await ready_draft(gw, acme, offers, "NOTEBOOK", 10)
    for d in (first, second):
        assert (await gw.data(APPLY, {"id": d["id"], "code": "ONCE5"}, acme))["applyVoucher"]["errors"] == []
    assert (await gw.data(PLACE, {"id": first["id"]}, acme))["placeDraftOrder"]["errors"] == []
    refused = (await gw.data(PLACE, {"id": second["id"]}, acme))["placeDraftOrder"]
    assert codes(refused) == ["VOUCHER_USAGE_LIMIT"]
    other = (await extra_buyers(gw, 1))[0]  # another customer of the same account may use it
    third = await ready_draft(gw, other, offers, "NOTEBOOK", 10)
    assert (await gw.data(APPLY, {"id": third["id"], "code": "ONCE5"}, other))["applyVoucher"]["errors"] == []
    assert (await gw.data(PLACE, {"id": third["id"]}, other))["placeDraftOrder"]["errors"] == []


async def test_a_canceled_order_gives_its_usage_back(gw: Gateway, acme: dict, offers: dict) -> None:
    draft = await ready_draft(gw, acme, offers, "NOTEBOOK", 10)
    await gw.data(APPLY, {"id": draft["id"], "code": "LIMITED2"}, acme)
    placed = (await gw.data(PLACE, {"id": draft["id"]}, acme))["placeDraftOrder"]
    assert placed["errors"] == [] and await voucher_uses(gw, "LIMITED2") == 1
    operator = await gw.as_user("operator@demo.example", client="OPERATOR")
    cancel = "mutation($id: ID!) { cancelOrder(id: $id) { errors { code } } }"
    assert (await gw.data(cancel, {"id": draft["id"]}, operator))["cancelOrder"]["errors"] == []
    assert await voucher_uses(gw, "LIMITED2") == 0
    listed = await gw.data(
        "{ vouchers { edges { node { code usedCount maxUses } } } "
        "promotions { edges { node { code discountUsed } } } }",
        None,
        operator,
    )
    assert {"code": "LIMITED2", "usedCount": 0, "maxUses": 2} in [e["node"] for e in listed["vouchers"]["edges"]]
    assert {e["node"]["code"] for e in listed["promotions"]["edges"]} >= {"PENS-10", "LIMITED2"}


async def test_limited_voucher_placed_at_once_by_six(gw: Gateway) -> None:
    buyers = await extra_buyers(gw, 6)
    offers = await offer_ids(gw, buyers[0])
    drafts = [await ready_draft(gw, h, offers, "NOTEBOOK", 10) for h in buyers]
    for d, h in zip(drafts, buyers, strict=True):
        assert (await gw.data(APPLY, {"id": d["id"], "code": "LIMITED2"}, h))["applyVoucher"]["errors"] == []
    results = await asyncio.gather(*(gw.data(PLACE, {"id": d["id"]}, h) for d, h in zip(drafts, buyers, strict=True)))
    placed = [r for r in results if r["placeDraftOrder"]["errors"] == []]
    refused = [r for r in results if codes(r["placeDraftOrder"]) == ["VOUCHER_USAGE_LIMIT"]]
    assert (len(placed), len(refused)) == (2, 4)
    assert all(r["placeDraftOrder"]["order"]["total"]["amount"] == "30.60" for r in placed)  # 30.00 - 15 % + tax
    assert await voucher_uses(gw, "LIMITED2") == 2
    async with gw.session_factory() as s:
        assert await s.scalar(select(Offer.stock).where(Offer.id == offers["NOTEBOOK"])) == 2000 - 20


@pytest.mark.slow
async def test_limited_voucher_across_two_processes(gw: Gateway, database_url: str) -> None:
    buyers = await extra_buyers(gw, 6)
    offers = await offer_ids(gw, buyers[0])
    drafts = [await ready_draft(gw, h, offers, "NOTEBOOK", 10) for h in buyers]
    for d, h in zip(drafts, buyers, strict=True):
        await gw.data(APPLY, {"id": d["id"], "code": "LIMITED2"}, h)
    import httpx

    with gateways(database_url, 2, GATEWAY_PAYMENT_SWEEP_SECONDS="0") as urls:
        async with httpx.AsyncClient(timeout=60) as client:
            answers = await asyncio.gather(
                *(
                    client.post(
                        f"{urls[i % 2]}/graphql", json={"query": PLACE, "variables": {"id": d["id"]}}, headers=h
                    )
                    for i, (d, h) in enumerate(zip(drafts, buyers, strict=True))
                )
            )
    payloads = [a.json()["data"]["placeDraftOrder"] for a in answers]
    assert sorted(len(p["errors"]) == 0 for p in payloads) == [False] * 4 + [True] * 2
    assert {e["code"] for p in payloads for e in p["errors"]} == {"VOUCHER_USAGE_LIMIT"}
    assert await voucher_uses(gw, "LIMITED2") == 2
    async with gw.session_factory() as s:
        assert await s.scalar(select(Offer.stock).where(Offer.id == offers["NOTEBOOK"])) == 2000 - 20


async def test_create_order_from_cart_saves_and_freezes(gw: Gateway, acme: dict, offers: dict) -> None:
    cart = await cart_with(gw, acme, offers, {"NOTEBOOK": 100})
    await gw.data(APPLY, {"id": cart["id"], "code": "WELCOME10"}, acme)
    address = {"street": "1 Main Street", "city": "Lyon", "country": "France", "postalCode": "69001"}
    inp = {"action": "SAVE_ORDER", "billingAddress": address, "idempotencyKey": "save-1"}
    p = (await gw.data(FROM_CART, {"input": inp}, acme))["createOrderFromCart"]
    assert p["errors"] == [] and p["nextStep"] is None
    order = p["order"]
    assert (order["status"], order["paymentStatus"]) == ("PLACED", "AWAITING_PAYMENT")
    assert order["voucher"] == {"code": "WELCOME10", "discount": {"amount": "30.00"}}
    assert order["total"]["amount"] == "324.00" and order["amountSaved"]["amount"] == "30.00"
    assert (await gw.data(CART, headers=acme))["cart"]["lines"] == []
    async with gw.session_factory() as s, s.begin():
        await s.execute(update(OfferPrice).where(OfferPrice.offer_id == offers["NOTEBOOK"]).values(unit_amount=999))
        addresses = await s.scalar(select(func.count()).select_from(Address).where(Address.street == "1 Main Street"))
    assert addresses == 1
    again = await gw.data("query($id: ID!) { order(id: $id) { total { amount } } }", {"id": order["id"]}, acme)
    assert again["order"]["total"]["amount"] == "324.00"  # frozen
    # A second order with the same address (other spacing and case) reuses it.
    await cart_with(gw, acme, offers, {"NOTEBOOK": 1})
    same = {**address, "street": " 1  main street", "city": "LYON"}
    p2 = await gw.data(FROM_CART, {"input": {"action": "SAVE_ORDER", "billingAddress": same}}, acme)
    assert p2["createOrderFromCart"]["errors"] == []
    async with gw.session_factory() as s:
        main_street = func.lower(func.trim(Address.street)).in_(["1 main street", "1  main street"])
        assert await s.scalar(select(func.count()).select_from(Address).where(main_street)) == 1


async def test_create_order_from_cart_refusals_change_nothing(gw: Gateway, acme: dict, offers: dict) -> None:
    empty = (await gw.data(FROM_CART, {"input": {"action": "SAVE_ORDER"}}, acme))["createOrderFromCart"]
    assert codes(empty) == ["CART_EMPTY"]
    cart = await cart_with(gw, acme, offers, {"NOTEBOOK": 10})
    bad = {"street": "1 Main Street", "city": "Toronto", "country": "CA"}
    p = (await gw.data(FROM_CART, {"input": {"action": "SAVE_ORDER", "billingAddress": bad}}, acme))[
        "createOrderFromCart"
    ]
    assert codes(p) == ["COUNTRY_NAME_NOT_FULL"] and "Canada" in p["errors"][0]["message"]
    unknown = {**bad, "country": "Atlantis"}
    p = (await gw.data(FROM_CART, {"input": {"action": "SAVE_ORDER", "billingAddress": unknown}}, acme))[
        "createOrderFromCart"
    ]
    assert codes(p) == ["COUNTRY_NAME_NOT_FULL"]
    assert (await gw.data(CART, headers=acme))["cart"]["id"] == cart["id"]


async def test_a_failure_after_the_stock_reservation_changes_nothing(gw: Gateway, acme: dict, offers: dict) -> None:
    cart = await cart_with(gw, acme, offers, {"NOTEBOOK": 100})
    await gw.data(APPLY, {"id": cart["id"], "code": "LIMITED2"}, acme)

    async def boom() -> None:
        raise RuntimeError("injected failure")

    faults.register("placement.after_stock_reserved", boom)
    try:
        address = {"street": "9 Fault Road", "city": "Lyon", "country": "France"}
        body = await gw.gql(FROM_CART, {"input": {"action": "SAVE_ORDER", "billingAddress": address}}, acme)
    finally:
        faults.clear("placement.after_stock_reserved")
    assert body["errors"][0]["extensions"]["code"] == "INTERNAL"
    assert (await gw.data(CART, headers=acme))["cart"]["id"] == cart["id"]
    assert await voucher_uses(gw, "LIMITED2") == 0
    async with gw.session_factory() as s:
        assert await s.scalar(select(Offer.stock).where(Offer.id == offers["NOTEBOOK"])) == 2000
        assert await s.scalar(select(func.count()).select_from(Address).where(Address.street == "9 Fault Road")) == 0


async def test_create_order_from_cart_checkout(database_url: str) -> None:
    async with served(database_url) as gw:
        acme = await gw.as_user("buyer@acme.example")
        offers = await offer_ids(gw, acme)
        await cart_with(gw, acme, offers, {"NOTEBOOK": 10})
        p = (await gw.data(FROM_CART, {"input": {"action": "CHECKOUT"}}, acme))["createOrderFromCart"]
        # a redirect payment holds the order until the provider answers (checkout/placement.py)
        assert p["errors"] == [] and p["order"]["status"] == "PAYMENT_PENDING" and p["nextStep"]
        await decide(p["nextStep"], "approve")
        query = "query($id: ID!) { order(id: $id) { status paymentStatus } }"
        order = await gw.data(query, {"id": p["order"]["id"]}, acme)
        assert order["order"] == {"status": "PLACED", "paymentStatus": "PAID"}
    closed = f"http://127.0.0.1:{free_port()}"
    async with served(database_url, sandbox_psp_url=closed, psp_timeout_seconds=2) as gw:
        acme = await gw.as_user("buyer@acme.example")
        cart = await cart_with(gw, acme, offers, {"NOTEBOOK": 10})
        p = (await gw.data(FROM_CART, {"input": {"action": "CHECKOUT"}}, acme))["createOrderFromCart"]
        assert codes(p) == ["PAYMENT_SERVICE_UNAVAILABLE"] and p["order"] is None
        assert (await gw.data(CART, headers=acme))["cart"]["id"] == cart["id"]


async def test_statement_counts_of_a_cart_with_promotions_and_a_voucher(gw: Gateway, acme: dict) -> None:
    from tests.support.catalog import extra_offers

    await extra_offers(gw, 50)
    offers = await offer_ids(gw, acme)
    buyers = await extra_buyers(gw, 2)
    counts = {}
    for n, headers in zip((5, 50), buyers, strict=True):
        sc = [o for sku, o in offers.items() if sku.startswith("SC-")][: n - 1]
        cart = (await gw.data(CART, headers=headers))["cart"]
        lines = [{"offerId": o, "quantity": 1} for o in sc] + [{"offerId": offers["PEN-BLUE"], "quantity": 10}]
        assert (await gw.data(ADD, {"id": cart["id"], "lines": lines}, headers))["addDraftOrderLines"]["errors"] == []
        assert (await gw.data(APPLY, {"id": cart["id"], "code": "WELCOME10"}, headers))["applyVoucher"]["errors"] == []
        counter = gw.count_statements()
        d = (await gw.data(DRAFT_AMOUNTS, {"id": cart["id"]}, headers))["draftOrder"]
        gw.stop_counting(counter)
        assert len(d["lines"]) == n and d["voucher"]["code"] == "WELCOME10"
        assert "PENS-10" in {ln["promotion"] for ln in d["lines"]}
        counts[n] = counter.count
    print(f"statements: a cart with promotions and a voucher, 5 lines = {counts[5]}, 50 lines = {counts[50]}")
    assert counts[5] == counts[50]
