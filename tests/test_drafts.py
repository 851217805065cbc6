"""Draft orders over HTTP: every error code of the draft mutations, pricing, totals and placement."""

from __future__ import annotations

from sqlalchemy import select, update

from app.models import Offer, OfferPrice, Order, Payment
from app.services.common import faults
from tests.support.documents import (
    ADD,
    CREATE,
    DELETE,
    DRAFT,
    PLACE,
    REMOVE_LINES,
    SYNC,
    UPDATE,
    UPDATE_LINES,
    create_draft,
    offer_ids,
    ready_draft,
    variant_ids,
)
from tests.support.gateway import Gateway


def codes(payload: dict) -> list[str]:
    return [e["code"] for e in payload["errors"]]


async def stock_of(gw: Gateway, sku_offer_id: str) -> int:
    async with gw.session_factory() as s:
        return await s.scalar(select(Offer.stock).where(Offer.id == sku_offer_id))


async def test_create_price_and_totals(gw: Gateway, acme: dict, offers: dict) -> None:
    payload = await create_draft(gw, acme, [{"offerId": offers["STAPLER"], "quantity": 2}])
    d = payload["draftOrder"]
    assert d["status"] == "DRAFT" and d["version"] == 1 and d["reference"].startswith("ORD-")
    assert d["lines"][0]["unitPrice"]["amount"] == "15.00"
    assert (d["subtotal"]["amount"], d["taxTotal"]["amount"], d["total"]["amount"]) == ("30.00", "6.00", "36.00")
    assert {i["code"] for i in d["issues"]} == {"SHIPPING_ADDRESS_REQUIRED", "BILLING_ADDRESS_REQUIRED"}


async def test_tier_follows_line_quantity(gw: Gateway, offers: dict) -> None:
    globex = await gw.as_user("buyer@globex.example")
    goffers = await offer_ids(gw, globex)
    d = (await create_draft(gw, globex, [{"offerId": goffers["PAPER-A4"], "quantity": 5}]))["draftOrder"]
    assert d["lines"][0]["unitPrice"]["amount"] == "5.00"
    line = d["lines"][0]["id"]
    for qty, unit in ((10, "4.50"), (45, "4.50"), (50, "4.00"), (5, "5.00")):
        p = await gw.data(UPDATE_LINES, {"id": d["id"], "lines": [{"lineId": line, "quantity": qty}]}, globex)
        assert p["updateDraftOrderLines"]["draftOrder"]["lines"][0]["unitPrice"]["amount"] == unit, qty
    acme = await gw.as_user("buyer@acme.example")
    d = (await create_draft(gw, acme, [{"offerId": offers["PAPER-A4"], "quantity": 50}]))["draftOrder"]
    assert d["lines"][0]["unitPrice"]["amount"] == "4.20"  # the account price has no tiers


async def test_add_lines_checks_each_line_and_reports_its_index(gw: Gateway, acme: dict, offers: dict) -> None:
    d = (await create_draft(gw, acme))["draftOrder"]
    lines = [
        {"offerId": offers["NOTEBOOK"], "quantity": 3},  # 0 ok
        {"offerId": offers["PEN-BLUE"], "quantity": 5},  # 1 below min 10
        {"offerId": offers["CHAIR-ERGO"], "quantity": 11},  # 2 above max 10
        {"offerId": offers["PAPER-A4"], "quantity": 3},  # 3 not a multiple of 5
        {"offerId": offers["STAPLER"], "quantity": -1},  # 4 negative
        {"offerId": offers["TONER-X"], "quantity": 1},  # 5 out of stock
        {"offerId": "nosuchoffer", "quantity": 1},  # 6 unknown
        {"offerId": offers["STAPLER"], "quantity": 6},  # 7 only 5 in stock
        {"quantity": 1},  # 8 neither offer nor variant
    ]
    p = (await gw.data(ADD, {"id": d["id"], "lines": lines}, acme))["addDraftOrderLines"]
    got = {(e["index"], e["code"]) for e in p["errors"]}
    assert got == {
        (1, "QUANTITY_BELOW_MIN"),
        (2, "QUANTITY_ABOVE_MAX"),
        (3, "QUANTITY_NOT_PACK_MULTIPLE"),
        (4, "INVALID_QUANTITY"),
        (5, "INSUFFICIENT_STOCK"),
        (6, "OFFER_UNAVAILABLE"),
        (7, "INSUFFICIENT_STOCK"),
        (8, "INVALID_INPUT"),
    }
    assert [ln["sku"] for ln in p["draftOrder"]["lines"]] == ["NOTEBOOK"]
    assert p["draftOrder"]["version"] == 2


async def test_same_offer_merges_and_variant_picks_offer(gw: Gateway, acme: dict, offers: dict) -> None:
    variants = await variant_ids(gw, acme)
    d = (await create_draft(gw, acme, [{"offerId": offers["NOTEBOOK"], "quantity": 3}]))["draftOrder"]
    p = await gw.data(ADD, {"id": d["id"], "lines": [{"variantId": variants["NOTEBOOK"], "quantity": 4}]}, acme)
    lines = p["addDraftOrderLines"]["draftOrder"]["lines"]
    assert [(ln["sku"], ln["quantity"]) for ln in lines] == [("NOTEBOOK", 7)]


async def test_merged_quantity_is_checked(gw: Gateway, acme: dict, offers: dict) -> None:
    d = (await create_draft(gw, acme, [{"offerId": offers["CHAIR-ERGO"], "quantity": 6}]))["draftOrder"]
    p = await gw.data(ADD, {"id": d["id"], "lines": [{"offerId": offers["CHAIR-ERGO"], "quantity": 5}]}, acme)
    assert codes(p["addDraftOrderLines"]) == ["QUANTITY_ABOVE_MAX"]
    assert p["addDraftOrderLines"]["draftOrder"]["version"] == 1  # nothing valid: nothing changed


async def test_invisible_product_cannot_be_added(gw: Gateway, offers: dict) -> None:
    globex = await gw.as_user("buyer@globex.example")
    d = (await create_draft(gw, globex))["draftOrder"]
    p = await gw.data(ADD, {"id": d["id"], "lines": [{"offerId": offers["CHAIR-ERGO"], "quantity": 1}]}, globex)
    assert [(e["index"], e["code"]) for e in p["addDraftOrderLines"]["errors"]] == [(0, "PRODUCT_NOT_VISIBLE")]


async def test_addresses_rules(gw: Gateway, acme: dict) -> None:
    d = (await create_draft(gw, acme))["draftOrder"]
    cases = [
        ({"shippingAddressId": "nope"}, "ADDRESS_NOT_FOUND"),
        ({"billingAddressId": "GLOBEX-HQ"}, "ADDRESS_NOT_FOUND"),  # another account's
        ({"billingAddressId": "ACME-WH"}, "ADDRESS_TYPE_MISMATCH"),  # shipping only
    ]
    for inp, code in cases:
        p = (await gw.data(UPDATE, {"id": d["id"], "input": inp}, acme))["updateDraftOrder"]
        assert codes(p) == [code], inp
        assert p["draftOrder"] is None
    p = (
        await gw.data(
            UPDATE,
            {
                "id": d["id"],
                "input": {
                    "shippingAddressId": "ACME-WH",
                    "billingAddressId": "ACME-HQ",
                    "customerReference": "PO-77",
                    "metadata": [{"key": "costCenter", "value": "42"}],
                },
            },
            acme,
        )
    )["updateDraftOrder"]
    assert p["errors"] == []
    dd = p["draftOrder"]
    assert dd["shippingAddress"] == {"externalId": "ACME-WH"} and dd["billingAddress"] == {"externalId": "ACME-HQ"}
    assert dd["metadata"] == [{"key": "costCenter", "value": "42"}]
    assert dd["version"] == 2


async def test_version_conflict_changes_nothing(gw: Gateway, acme: dict, offers: dict) -> None:
    d = (await create_draft(gw, acme, [{"offerId": offers["NOTEBOOK"], "quantity": 1}]))["draftOrder"]
    p = (await gw.data(ADD, {"id": d["id"], "lines": [{"offerId": offers["NOTEBOOK"], "quantity": 1}], "v": 7}, acme))[
        "addDraftOrderLines"
    ]
    assert codes(p) == ["VERSION_CONFLICT"] and "version 1" in p["errors"][0]["message"]
    assert p["draftOrder"]["lines"][0]["quantity"] == 1
    p = (await gw.data(ADD, {"id": d["id"], "lines": [{"offerId": offers["NOTEBOOK"], "quantity": 1}], "v": 1}, acme))[
        "addDraftOrderLines"
    ]
    assert p["errors"] == [] and p["draftOrder"]["version"] == 2


async def test_update_and_remove_lines(gw: Gateway, acme: dict, offers: dict) -> None:
    d = (
        await create_draft(
            gw, acme, [{"offerId": offers["NOTEBOOK"], "quantity": 1}, {"offerId": offers["STAPLER"], "quantity": 1}]
        )
    )["draftOrder"]
    nb, st = (ln["id"] for ln in d["lines"])
    p = (
        await gw.data(
            UPDATE_LINES,
            {
                "id": d["id"],
                "lines": [
                    {"lineId": nb, "quantity": 0},
                    {"lineId": "missing", "quantity": 1},
                    {"lineId": st, "quantity": 9},
                ],
            },
            acme,
        )
    )["updateDraftOrderLines"]
    assert [(e["index"], e["code"]) for e in p["errors"]] == [(1, "LINE_NOT_FOUND"), (2, "INSUFFICIENT_STOCK")]
    assert [ln["sku"] for ln in p["draftOrder"]["lines"]] == ["STAPLER"]
    p = (await gw.data(REMOVE_LINES, {"id": d["id"], "ids": [st, "missing"]}, acme))["removeDraftOrderLines"]
    assert [(e["index"], e["code"]) for e in p["errors"]] == [(1, "LINE_NOT_FOUND")]
    assert p["draftOrder"]["lines"] == []
    assert "ORDER_EMPTY" in {i["code"] for i in p["draftOrder"]["issues"]}


async def test_sync_reports_price_changes(gw: Gateway, acme: dict, offers: dict) -> None:
    d = (await create_draft(gw, acme, [{"offerId": offers["STAPLER"], "quantity": 1}]))["draftOrder"]
    async with gw.session_factory() as s, s.begin():
        await s.execute(update(OfferPrice).where(OfferPrice.offer_id == offers["STAPLER"]).values(unit_amount=1600))
    read = (await gw.data(DRAFT, {"id": d["id"]}, acme))["draftOrder"]
    changed = [i for i in read["issues"] if i["code"] == "PRICE_CHANGED"]
    assert changed and changed[0]["blocking"] is False
    assert read["lines"][0]["unitPrice"]["amount"] == "16.00"
    p = (await gw.data(SYNC, {"id": d["id"]}, acme))["syncDraftOrder"]
    assert [w["code"] for w in p["warnings"]] == ["PRICE_CHANGED"]
    assert "PRICE_CHANGED" not in {i["code"] for i in p["draftOrder"]["issues"]}
    assert p["draftOrder"]["version"] == 2


async def test_foreign_draft_is_absent(gw: Gateway, acme: dict, offers: dict) -> None:
    d = (await create_draft(gw, acme, [{"offerId": offers["NOTEBOOK"], "quantity": 1}]))["draftOrder"]
    globex = await gw.as_user("buyer@globex.example")
    assert (await gw.data(DRAFT, {"id": d["id"]}, globex))["draftOrder"] is None
    p = (await gw.data(UPDATE, {"id": d["id"], "input": {"notes": "hi"}}, globex))["updateDraftOrder"]
    assert codes(p) == ["NOT_FOUND"]
    p = (await gw.data(DELETE, {"id": d["id"]}, globex))["deleteDraftOrder"]
    assert codes(p) == ["NOT_FOUND"]
    # an operator may read it but not edit it
    op = await gw.as_user("operator@demo.example", client="OPERATOR")
    assert (await gw.data(DRAFT, {"id": d["id"]}, op))["draftOrder"]["id"] == d["id"]
    body = await gw.gql(UPDATE, {"id": d["id"], "input": {"notes": "x"}}, op)
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_delete_rules(gw: Gateway, acme: dict, offers: dict) -> None:
    d = (await create_draft(gw, acme))["draftOrder"]
    assert (await gw.data(DELETE, {"id": d["id"]}, acme))["deleteDraftOrder"] == {"deletedId": d["id"], "errors": []}
    assert (await gw.data(DRAFT, {"id": d["id"]}, acme))["draftOrder"] is None
    # a payment linked blocks the delete
    d = (await create_draft(gw, acme))["draftOrder"]
    async with gw.session_factory() as s, s.begin():
        s.add(Payment(order_id=d["id"], method_code="bank-wire", status="PENDING", amount=100, currency="EUR"))
    assert codes((await gw.data(DELETE, {"id": d["id"]}, acme))["deleteDraftOrder"]) == ["ORDER_DELETE_BLOCKED"]
    # a placed order cannot be deleted
    placed = await ready_draft(gw, acme, offers, "NOTEBOOK", 1)
    assert (await gw.data(PLACE, {"id": placed["id"]}, acme))["placeDraftOrder"]["errors"] == []
    assert codes((await gw.data(DELETE, {"id": placed["id"]}, acme))["deleteDraftOrder"]) == ["ORDER_DELETE_BLOCKED"]


async def test_place_requirements(gw: Gateway, acme: dict, offers: dict) -> None:
    d = (await create_draft(gw, acme))["draftOrder"]
    p = (await gw.data(PLACE, {"id": d["id"]}, acme))["placeDraftOrder"]
    assert set(codes(p)) == {"ORDER_EMPTY", "SHIPPING_ADDRESS_REQUIRED", "BILLING_ADDRESS_REQUIRED"}
    assert p["order"] is None
    d = await ready_draft(gw, acme, offers, "NOTEBOOK", 2)
    p = (await gw.data(PLACE, {"id": d["id"], "input": {"paymentMethodId": "nope"}}, acme))["placeDraftOrder"]
    assert codes(p) == ["PAYMENT_METHOD_UNAVAILABLE"]
    # a line that became invalid blocks placement
    async with gw.session_factory() as s, s.begin():
        await s.execute(update(Offer).where(Offer.id == offers["NOTEBOOK"]).values(stock=1))
    p = (await gw.data(PLACE, {"id": d["id"]}, acme))["placeDraftOrder"]
    assert codes(p) == ["INSUFFICIENT_STOCK"] and p["errors"][0]["lineId"] == d["lines"][0]["id"]


async def test_place_splits_per_supplier_and_is_idempotent(gw: Gateway, acme: dict, offers: dict) -> None:
    d = await ready_draft(gw, acme, offers, "PAPER-A4", 50)
    await gw.data(ADD, {"id": d["id"], "lines": [{"offerId": offers["STAPLER"], "quantity": 2}]}, acme)
    before = await stock_of(gw, offers["STAPLER"])
    p = (await gw.data(PLACE, {"id": d["id"]}, acme))["placeDraftOrder"]
    assert p["errors"] == []
    o = p["order"]
    assert (o["status"], o["paymentStatus"]) == ("PLACED", "AWAITING_PAYMENT") and o["placedAt"]
    # 50 x 4.20 + 2 x 15.00 = 240.00 net, 48.00 tax
    assert o["total"]["amount"] == "288.00"
    los = {lo["supplier"]["externalId"]: lo for lo in o["logisticOrders"]}
    assert set(los) == {"SUP-NORD", "SUP-SUD"}
    assert all(lo["status"] == "ORDER_CREATED" for lo in los.values())
    assert los["SUP-SUD"]["lines"] == [{"sku": "STAPLER"}] and los["SUP-NORD"]["total"]["amount"] == "252.00"
    assert [e["type"] for e in o["events"]].count("LOGISTIC_ORDER_CREATED") == 2
    assert await stock_of(gw, offers["STAPLER"]) == before - 2
    # placing again returns the same order and reserves nothing
    again = (await gw.data(PLACE, {"id": d["id"]}, acme))["placeDraftOrder"]
    assert again["errors"] == [] and again["order"]["id"] == o["id"]
    assert await stock_of(gw, offers["STAPLER"]) == before - 2
    # placed orders are immutable
    p = await gw.data(ADD, {"id": d["id"], "lines": [{"offerId": offers["NOTEBOOK"], "quantity": 1}]}, acme)
    assert codes(p["addDraftOrderLines"]) == ["ORDER_NOT_EDITABLE"]
    p = await gw.data(UPDATE, {"id": d["id"], "input": {"notes": "late"}}, acme)
    assert codes(p["updateDraftOrder"]) == ["ORDER_NOT_EDITABLE"]
    assert (await gw.data(DRAFT, {"id": d["id"]}, acme))["draftOrder"] is None


async def test_idempotency_key(gw: Gateway, acme: dict, offers: dict) -> None:
    d = await ready_draft(gw, acme, offers, "NOTEBOOK", 1)
    first = (await gw.data(PLACE, {"id": d["id"], "input": {"idempotencyKey": "k-1"}}, acme))["placeDraftOrder"]
    again = (await gw.data(PLACE, {"id": d["id"], "input": {"idempotencyKey": "k-1"}}, acme))["placeDraftOrder"]
    assert first["errors"] == [] and again["order"]["id"] == first["order"]["id"]
    other = await ready_draft(gw, acme, offers, "NOTEBOOK", 1)
    reused = (await gw.data(PLACE, {"id": other["id"], "input": {"idempotencyKey": "k-1"}}, acme))["placeDraftOrder"]
    assert codes(reused) == ["IDEMPOTENCY_KEY_REUSED"] and reused["order"] is None
    long_key = await gw.data(PLACE, {"id": other["id"], "input": {"idempotencyKey": "k" * 300}}, acme)
    assert codes(long_key["placeDraftOrder"]) == ["INVALID_INPUT"]


async def test_failure_after_stock_reserved_rolls_everything_back(gw: Gateway, acme: dict, offers: dict) -> None:
    d = await ready_draft(gw, acme, offers, "STAPLER", 2)
    before = await stock_of(gw, offers["STAPLER"])

    async def boom() -> None:
        raise RuntimeError("injected failure")

    faults.register("placement.after_stock_reserved", boom)
    try:
        body = await gw.gql(PLACE, {"id": d["id"]}, acme)
    finally:
        faults.clear("placement.after_stock_reserved")
    err = body["errors"][0]
    assert err["extensions"]["code"] == "INTERNAL" and "injected" not in err["message"]
    assert await stock_of(gw, offers["STAPLER"]) == before
    async with gw.session_factory() as s:
        order = await s.get(Order, d["id"])
        assert (order.status, order.version, order.placed_at) == ("DRAFT", d["version"], None)
    # and it still places afterwards
    assert (await gw.data(PLACE, {"id": d["id"]}, acme))["placeDraftOrder"]["errors"] == []


async def test_bad_input_never_500(gw: Gateway, acme: dict) -> None:
    for query, variables in (
        (CREATE, {"input": {"lines": [{"offerId": "x" * 10_000, "quantity": 1}]}}),
        (CREATE, {"input": {"notes": "n" * 100_000}}),
        (UPDATE, {"id": "x" * 10_000, "input": {}}),
        (ADD, {"id": "abc", "lines": [{"offerId": "a", "quantity": 2**31}]}),
        (DRAFT, {"id": "'; drop table orders; --"}),
        ("query { draftOrders(first: -5) { totalCount } }", {}),
        ('query { draftOrders(after: "zzz") { totalCount } }', {}),
    ):
        resp = await gw.post(query, variables, acme)
        assert resp.status_code == 200, resp.text
        body = resp.json()
        assert "INTERNAL" not in str(body), body


async def test_draft_orders_listing(gw: Gateway, acme: dict) -> None:
    ids = [(await create_draft(gw, acme))["draftOrder"]["id"] for _ in range(3)]
    q = (
        "query($after: String) { draftOrders(first: 2, after: $after) { totalCount edges { node { id } } "
        "pageInfo { hasNextPage endCursor } } }"
    )
    page1 = (await gw.data(q, {}, acme))["draftOrders"]
    page2 = (await gw.data(q, {"after": page1["pageInfo"]["endCursor"]}, acme))["draftOrders"]
    seen = [e["node"]["id"] for e in page1["edges"] + page2["edges"]]
    assert page1["totalCount"] == 3 and sorted(seen) == sorted(ids) and not page2["pageInfo"]["hasNextPage"]
    globex = await gw.as_user("buyer@globex.example")
    assert (await gw.data(q, {}, globex))["draftOrders"]["totalCount"] == 0
