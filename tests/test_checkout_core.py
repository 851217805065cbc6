"""The checkout core's seams, pinned over HTTP on SQLite and PostgreSQL: refused work leaves an idempotency key
free, a replay never answers an empty payload, a partially applied edit bumps the version and stores its
total, a line whose offer lost its price reads as an issue (not INTERNAL), and `Offer.available` agrees with
what adding the offer answers."""

from __future__ import annotations

import pytest
from sqlalchemy import delete, select, update

from app.models import Offer, OfferPrice, Order, Product, Variant
from tests.support.documents import ADD, DRAFT, PLACE, create_draft, ready_draft
from tests.support.gateway import Gateway


def codes(payload: dict) -> list[str]:
    return [e["code"] for e in payload["errors"]]


async def test_a_refused_placement_leaves_the_key_free(gw: Gateway, acme: dict, offers: dict) -> None:
    draft = await ready_draft(gw, acme, offers, "STAPLER", 1)
    wrong = {"idempotencyKey": "K-1", "expectedVersion": 99}
    first = (await gw.data(PLACE, {"id": draft["id"], "input": wrong}, acme))["placeDraftOrder"]
    assert codes(first) == ["VERSION_CONFLICT"] and first["order"] is None
    # The same refused call again is refused again: never an empty success.
    again = (await gw.data(PLACE, {"id": draft["id"], "input": wrong}, acme))["placeDraftOrder"]
    assert codes(again) == ["VERSION_CONFLICT"] and again["order"] is None
    # The corrected call with the same key places the order.
    right = {"idempotencyKey": "K-1", "expectedVersion": draft["version"]}
    placed = (await gw.data(PLACE, {"id": draft["id"], "input": right}, acme))["placeDraftOrder"]
    assert placed["errors"] == [] and placed["order"]["status"] == "PLACED"
    async with gw.session_factory() as s:
        assert await s.scalar(select(Offer.stock).where(Offer.id == offers["STAPLER"])) == 4


async def test_a_replayed_key_answers_the_first_payload(gw: Gateway, acme: dict, offers: dict) -> None:
    draft = await ready_draft(gw, acme, offers, "STAPLER", 2)
    inp = {"idempotencyKey": "K-2"}
    first = (await gw.data(PLACE, {"id": draft["id"], "input": inp}, acme))["placeDraftOrder"]
    assert first["errors"] == [] and first["order"]["status"] == "PLACED"
    for _ in range(2):
        replay = (await gw.data(PLACE, {"id": draft["id"], "input": inp}, acme))["placeDraftOrder"]
        assert replay["errors"] == []
        assert replay["order"] is not None and replay["order"]["id"] == first["order"]["id"]
        assert replay["order"]["reference"] == first["order"]["reference"]
    async with gw.session_factory() as s:
        assert await s.scalar(select(Offer.stock).where(Offer.id == offers["STAPLER"])) == 3  # reserved once
    other = (await gw.data(PLACE, {"id": draft["id"], "input": {**inp, "expectedVersion": 1}}, acme))["placeDraftOrder"]
    assert codes(other) == ["IDEMPOTENCY_KEY_REUSED"]


async def test_a_keyed_creation_replays_its_errors_and_warnings(gw: Gateway, acme: dict, offers: dict) -> None:
    create = """mutation($input: CreateDraftOrderInput) { createDraftOrder(input: $input) {
      draftOrder { id lines { quantity } } errors { code index } warnings { code } } }"""
    inp = {
        "idempotencyKey": "K-3",
        "lines": [{"offerId": offers["STAPLER"], "quantity": 1}, {"offerId": offers["TONER-X"], "quantity": 1}],
    }
    first = (await gw.data(create, {"input": inp}, acme))["createDraftOrder"]
    assert [(e["code"], e["index"]) for e in first["errors"]] == [("INSUFFICIENT_STOCK", 1)]
    replay = (await gw.data(create, {"input": inp}, acme))["createDraftOrder"]
    assert replay == first


async def test_a_partially_applied_edit_bumps_the_version(gw: Gateway, acme: dict, offers: dict) -> None:
    draft = (await create_draft(gw, acme, [{"offerId": offers["NOTEBOOK"], "quantity": 1}]))["draftOrder"]
    assert draft["version"] == 1
    lines = [{"offerId": offers["STAPLER"], "quantity": 1}, {"offerId": offers["PAPER-A4"], "quantity": 10001}]
    p = (await gw.data(ADD, {"id": draft["id"], "lines": lines, "v": 1}, acme))["addDraftOrderLines"]
    assert {e["index"] for e in p["errors"]} == {1} and len(p["errors"]) >= 2  # several problems, one line
    assert p["draftOrder"]["version"] == 2
    assert p["draftOrder"]["total"]["amount"] == "21.60"  # (3.00 + 15.00) + 20 % tax
    async with gw.session_factory() as s:
        stored = await s.get(Order, draft["id"])
        assert (stored.version, stored.total_amount) == (2, 2160)
    # A second writer still holding version 1 is refused and changes nothing.
    late = (await gw.data(ADD, {"id": draft["id"], "lines": [lines[0]], "v": 1}, acme))["addDraftOrderLines"]
    assert codes(late) == ["VERSION_CONFLICT"]
    assert late["draftOrder"]["version"] == 2
    sorted_orders = await gw.data(
        '{ orders(filter: {placed: false}, sort: ["totalAmount:asc"]) { edges { node { id total { amount } } } } }',
        headers=acme,
    )
    totals = {e["node"]["id"]: e["node"]["total"]["amount"] for e in sorted_orders["orders"]["edges"]}
    assert totals[draft["id"]] == "21.60"


async def test_a_line_whose_offer_lost_its_price_is_an_issue(gw: Gateway, acme: dict, offers: dict) -> None:
    draft = (await create_draft(gw, acme, [{"offerId": offers["STAPLER"], "quantity": 2}]))["draftOrder"]
    async with gw.session_factory() as s, s.begin():
        await s.execute(delete(OfferPrice).where(OfferPrice.offer_id == offers["STAPLER"]))
    query = """query($id: ID!) { draftOrder(id: $id) { lines { id unitPrice { amount }
      offer { id available price { amount } priceTiers { minQuantity } } }
      issues { code lineId blocking } total { amount } } }"""
    body = await gw.gql(query, {"id": draft["id"]}, acme)
    assert "errors" not in body, body
    d = body["data"]["draftOrder"]
    line = d["lines"][0]
    assert line["offer"]["available"] is False
    assert line["offer"]["price"]["amount"] == "15.00"  # the line's last unit price
    assert {"code": "OFFER_UNAVAILABLE", "lineId": line["id"], "blocking": True} in d["issues"]
    full = await gw.gql(DRAFT, {"id": draft["id"]}, acme)
    assert "errors" not in full


@pytest.mark.parametrize(
    ("switched_off", "refusal"),
    # An inactive product leaves the catalog the buyer sees, so adding it says so.
    [("product", "PRODUCT_NOT_VISIBLE"), ("variant", "OFFER_UNAVAILABLE"), ("offer", "OFFER_UNAVAILABLE")],
)
async def test_available_agrees_with_adding(
    gw: Gateway, acme: dict, offers: dict, switched_off: str, refusal: str
) -> None:
    """A quote line keeps showing its offer; whatever was switched off, `available` says what adding answers."""
    quote = await gw.data(
        '{ quote(id: "Q-ACME-1") { lines { offer { id available } variant { sku } } } }', headers=acme
    )
    notebook = next(ln for ln in quote["quote"]["lines"] if ln["variant"]["sku"] == "NOTEBOOK")
    assert notebook["offer"]["available"] is True
    offer_id = notebook["offer"]["id"]
    async with gw.session_factory() as s, s.begin():
        offer = await s.get(Offer, offer_id)
        variant = await s.get(Variant, offer.variant_id)
        model = {"offer": Offer, "variant": Variant, "product": Product}[switched_off]
        row_id = {"offer": offer.id, "variant": variant.id, "product": variant.product_id}[switched_off]
        await s.execute(update(model).where(model.id == row_id).values(active=False))
    quote = await gw.data(
        '{ quote(id: "Q-ACME-1") { lines { offer { id available } variant { sku } } } }', headers=acme
    )
    shown = next(ln for ln in quote["quote"]["lines"] if ln["offer"]["id"] == offer_id)
    draft = (await create_draft(gw, acme))["draftOrder"]
    added = (await gw.data(ADD, {"id": draft["id"], "lines": [{"offerId": offer_id, "quantity": 1}]}, acme))[
        "addDraftOrderLines"
    ]
    assert shown["offer"]["available"] is False
    assert codes(added) == [refusal]
