"""Orders after placement over HTTP: listing (filters, sort, keyset paging, scope), lifecycle transitions,
incidents and cancellation."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, update

from app.models import LogisticOrder, Offer, Order
from app.services.rules.states import LOGISTIC_TRANSITIONS as TRANSITIONS
from tests.support.documents import PLACE, UPDATE, create_draft, offer_ids, ready_draft
from tests.support.gateway import Gateway

ORDERS = """query($filter: OrderFilter, $sort: [String!], $first: Int, $after: String) {
  orders(filter: $filter, sort: $sort, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { cursor node { id reference status placedAt createdAt total { amount }
      lines { sku quantity } logisticOrders { id status nextStatuses lines { sku } } events { type actor } } } } }"""
TRANSITION = """mutation($id: ID!, $to: LogisticOrderStatus!) { transitionLogisticOrder(id: $id, to: $to) {
  logisticOrder { id status nextStatuses } errors { code message } } }"""
CANCEL = """mutation($id: ID!, $reason: String) { cancelOrder(id: $id, reason: $reason) {
  order { id status cancelReason logisticOrders { status } events { type detail } } errors { code message } } }"""
INCIDENT = """mutation($id: ID!, $on: Boolean!) { setLogisticOrderIncident(id: $id, incident: $on, note: "late") {
  logisticOrder { incident } errors { code } } }"""


async def _placed(gw: Gateway, headers: dict, offers: dict, sku: str = "NOTEBOOK", qty: int = 1) -> dict:
    d = await ready_draft(gw, headers, offers, sku, qty)
    p = (await gw.data(PLACE, {"id": d["id"]}, headers))["placeDraftOrder"]
    assert p["errors"] == [], p
    return p["order"]


async def _list(gw: Gateway, headers: dict, **variables) -> dict:  # noqa: ANN003
    return (await gw.data(ORDERS, variables, headers))["orders"]


async def _fixture_orders(gw: Gateway, acme: dict) -> list[str]:
    """Two placed orders and three drafts, all with the same createdAt, references of mixed case."""
    offers = await offer_ids(gw, acme)
    ids = [(await _placed(gw, acme, offers, "NOTEBOOK", n))["id"] for n in (1, 3)]
    ids += [
        (await create_draft(gw, acme, [{"offerId": offers["NOTEBOOK"], "quantity": n}]))["draftOrder"]["id"]
        for n in (2, 5, 4)
    ]
    same = datetime(2026, 1, 1, tzinfo=UTC)
    async with gw.session_factory() as s, s.begin():
        for ref, oid in zip(("ord-b", "ORD-A", "Ord-c", "ORD-E", "ord-d"), ids, strict=True):
            await s.execute(
                update(Order).where(Order.id == oid).values(reference=ref, reference_ci=ref.lower(), created_at=same)
            )
    return ids


async def test_malformed_sort_entries_are_ignored(gw: Gateway, acme: dict) -> None:
    await _fixture_orders(gw, acme)
    default = [e["node"]["reference"] for e in (await _list(gw, acme))["edges"]]
    for junk in (["bogus"], ["createdAt:sideways"], [""], [":"], ["reference:desc:extra"]):
        got = await _list(gw, acme, sort=junk)
        assert [e["node"]["reference"] for e in got["edges"]] == default, junk
    # equal createdAt everywhere: default createdAt:desc falls back to reference:asc, case-insensitively
    assert default == ["ORD-A", "ord-b", "Ord-c", "ord-d", "ORD-E"]
    desc = await _list(gw, acme, sort=["reference:desc", "bogus"])
    assert [e["node"]["reference"] for e in desc["edges"]] == ["ORD-E", "ord-d", "Ord-c", "ord-b", "ORD-A"]


async def test_nulls_last_in_both_directions(gw: Gateway, acme: dict) -> None:
    await _fixture_orders(gw, acme)
    for direction in ("asc", "desc"):
        edges = (await _list(gw, acme, sort=[f"placedAt:{direction}"]))["edges"]
        placed = [e["node"]["placedAt"] is not None for e in edges]
        assert placed == [True, True, False, False, False], direction


@pytest.mark.parametrize(
    "sort",
    [
        "createdAt:asc",
        "createdAt:desc",
        "placedAt:asc",
        "placedAt:desc",
        "updatedAt:asc",
        "updatedAt:desc",
        "reference:asc",
        "reference:desc",
        "sourceType:asc",
        "sourceType:desc",
        "totalAmount:asc",
        "totalAmount:desc",
    ],
)
async def test_paging_2_by_2_returns_each_order_once(gw: Gateway, acme: dict, sort: str) -> None:
    ids = await _fixture_orders(gw, acme)
    seen: list[str] = []
    after = None
    for _ in range(10):
        page = await _list(gw, acme, sort=[sort], first=2, after=after)
        seen += [e["node"]["id"] for e in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert sorted(seen) == sorted(ids) and len(seen) == len(set(seen)), sort
    full = [e["node"]["id"] for e in (await _list(gw, acme, sort=[sort]))["edges"]]
    assert seen == full


async def test_each_filter(gw: Gateway, acme: dict) -> None:
    ids = await _fixture_orders(gw, acme)
    placed = {ids[0], ids[1]}

    async def found(f: dict) -> set[str]:
        return {e["node"]["id"] for e in (await _list(gw, acme, filter=f))["edges"]}

    assert await found({"placed": True}) == placed
    assert await found({"placed": False}) == set(ids) - placed
    assert await found({"status": ["PLACED"]}) == placed
    assert await found({"status": ["DRAFT", "PLACED"]}) == set(ids)
    assert await found({"reference": "ord-a"}) == {ids[1]}
    assert await found({"reference": "ORD-"}) == set(ids)
    assert await found({"createdFrom": "2025-12-31T00:00:00Z", "createdTo": "2026-01-02T00:00:00Z"}) == set(ids)
    assert await found({"createdFrom": "2026-01-02T00:00:00Z"}) == set()
    now = datetime.now(UTC)
    assert await found({"placedFrom": (now - timedelta(hours=1)).isoformat()}) == placed
    assert await found({"placedTo": (now - timedelta(hours=1)).isoformat()}) == set()
    assert await found({"sourceTypes": ["QUOTE"]}) == set()
    assert await found({"sourceTypes": []}) == set(ids)  # an empty list filters nothing (an unknown value: test_ids)
    assert await found({"sourceIds": ["nope"]}) == set()
    await gw.data(UPDATE, {"id": ids[2], "input": {"metadata": [{"key": "cc", "value": "7"}]}}, acme)
    await gw.data(UPDATE, {"id": ids[3], "input": {"metadata": [{"key": "cc", "value": "8"}]}}, acme)
    assert await found({"metadata": [{"key": "cc", "value": "7"}]}) == {ids[2]}
    assert await found({"metadata": [{"key": "cc", "value": "7"}, {"key": "cc", "value": "8"}]}) == {ids[2], ids[3]}
    assert await found({"placed": False, "metadata": [{"key": "cc", "value": "8"}]}) == {ids[3]}


async def test_buyer_and_operator_scope(gw: Gateway, acme: dict, operator: dict) -> None:
    ids = await _fixture_orders(gw, acme)
    globex = await gw.as_user("buyer@globex.example")
    goffers = await offer_ids(gw, globex)
    d = await create_draft(
        gw,
        globex,
        [{"offerId": goffers["NOTEBOOK"], "quantity": 1}],
        shippingAddressId="GLOBEX-HQ",
        billingAddressId="GLOBEX-HQ",
    )
    gorder = (await gw.data(PLACE, {"id": d["draftOrder"]["id"]}, globex))["placeDraftOrder"]["order"]
    async with gw.session_factory() as s:
        globex_account = (await s.get(Order, gorder["id"])).account_id
    # a buyer sees its account's orders only; naming another account is ignored
    mine = await _list(gw, acme, filter={"accountIds": [globex_account]})
    assert {e["node"]["id"] for e in mine["edges"]} == set(ids)
    q = "query($id: ID!) { order(id: $id) { id reference } }"
    assert (await gw.data(q, {"id": gorder["id"]}, acme))["order"] is None
    assert (await gw.data(q, {"id": gorder["reference"].lower()}, globex))["order"]["id"] == gorder["id"]
    # an operator sees every order of its stores, and can filter by account
    everything = await _list(gw, operator, first=100)
    assert everything["totalCount"] == len(ids) + 1
    only_globex = await _list(gw, operator, filter={"accountIds": [globex_account]})
    assert [e["node"]["id"] for e in only_globex["edges"]] == [gorder["id"]]


async def test_every_transition_allowed_and_refused(gw: Gateway, acme: dict, operator: dict) -> None:
    offers = await offer_ids(gw, acme)
    for start, allowed in TRANSITIONS.items():
        order = await _placed(gw, acme, offers)
        lo_id = order["logisticOrders"][0]["id"]
        async with gw.session_factory() as s, s.begin():
            await s.execute(update(LogisticOrder).where(LogisticOrder.id == lo_id).values(status=start))
        for target in TRANSITIONS:
            if target in allowed:
                continue
            p = (await gw.data(TRANSITION, {"id": lo_id, "to": target}, operator))["transitionLogisticOrder"]
            assert [e["code"] for e in p["errors"]] == ["INVALID_STATUS_TRANSITION"], (start, target)
            assert "allowed next states" in p["errors"][0]["message"]
        for target in allowed:
            async with gw.session_factory() as s, s.begin():
                await s.execute(update(LogisticOrder).where(LogisticOrder.id == lo_id).values(status=start))
            p = (await gw.data(TRANSITION, {"id": lo_id, "to": target}, operator))["transitionLogisticOrder"]
            assert p["errors"] == [], (start, target, p)
            assert p["logisticOrder"]["status"] == target
            assert p["logisticOrder"]["nextStatuses"] == list(TRANSITIONS[target])


async def test_transition_walk_records_events_and_buyers_are_refused(gw: Gateway, acme: dict, operator: dict) -> None:
    offers = await offer_ids(gw, acme)
    order = await _placed(gw, acme, offers)
    lo_id = order["logisticOrders"][0]["id"]
    assert order["logisticOrders"][0]["nextStatuses"] == ["WAITING_SUPPLIER_APPROVAL", "CANCELED"]
    body = await gw.gql(TRANSITION, {"id": lo_id, "to": "WAITING_SUPPLIER_APPROVAL"}, acme)
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    for to in (
        "WAITING_SUPPLIER_APPROVAL",
        "ACCEPTED_BY_SUPPLIER",
        "WAITING_SHIPMENT",
        "PARTIALLY_SHIPPED",
        "SHIPPED",
        "COMPLETED",
    ):
        p = (await gw.data(TRANSITION, {"id": lo_id, "to": to}, operator))["transitionLogisticOrder"]
        assert p["errors"] == [], to
    assert (await gw.data(INCIDENT, {"id": lo_id, "on": True}, operator))["setLogisticOrderIncident"] == {
        "logisticOrder": {"incident": True},
        "errors": [],
    }
    await gw.data(INCIDENT, {"id": lo_id, "on": False}, operator)
    events = (await _list(gw, acme, filter={"placed": True}))["edges"][0]["node"]["events"]
    types = [e["type"] for e in events]
    assert types[:2] == ["ORDER_PLACED", "LOGISTIC_ORDER_CREATED"]
    assert types.count("LOGISTIC_STATUS_CHANGED") == 6
    assert types[-2:] == ["INCIDENT_RAISED", "INCIDENT_CLEARED"]
    assert {e["actor"] for e in events[2:]} == {"operator@demo.example"}
    unknown = (await gw.data(TRANSITION, {"id": "nope", "to": "SHIPPED"}, operator))["transitionLogisticOrder"]
    assert [e["code"] for e in unknown["errors"]] == ["NOT_FOUND"]


async def test_cancel_before_and_after_shipment(gw: Gateway, acme: dict, operator: dict) -> None:
    offers = await offer_ids(gw, acme)

    async def stock() -> int:
        async with gw.session_factory() as s:
            return await s.scalar(select(Offer.stock).where(Offer.id == offers["STAPLER"]))

    before = await stock()
    order = await _placed(gw, acme, offers, "STAPLER", 2)
    assert await stock() == before - 2
    body = await gw.gql(CANCEL, {"id": order["id"]}, acme)
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    p = (await gw.data(CANCEL, {"id": order["id"], "reason": "customer called"}, operator))["cancelOrder"]
    assert p["errors"] == []
    assert (p["order"]["status"], p["order"]["cancelReason"]) == ("CANCELED", "customer called")
    assert [lo["status"] for lo in p["order"]["logisticOrders"]] == ["CANCELED"]
    assert p["order"]["events"][-1]["type"] == "ORDER_CANCELED"
    assert await stock() == before
    again = (await gw.data(CANCEL, {"id": order["id"]}, operator))["cancelOrder"]
    assert [e["code"] for e in again["errors"]] == ["ORDER_NOT_CANCELABLE"]
    # after shipment: refused, nothing changes
    shipped = await _placed(gw, acme, offers, "STAPLER", 1)
    lo_id = shipped["logisticOrders"][0]["id"]
    for to in ("WAITING_SUPPLIER_APPROVAL", "ACCEPTED_BY_SUPPLIER", "WAITING_SHIPMENT", "SHIPPED"):
        await gw.data(TRANSITION, {"id": lo_id, "to": to}, operator)
    p = (await gw.data(CANCEL, {"id": shipped["id"]}, operator))["cancelOrder"]
    assert [e["code"] for e in p["errors"]] == ["ORDER_NOT_CANCELABLE"]
    assert await stock() == before - 1
    # a draft is not an order to cancel
    draft = await create_draft(gw, acme)
    p = (await gw.data(CANCEL, {"id": draft["draftOrder"]["id"]}, operator))["cancelOrder"]
    assert [e["code"] for e in p["errors"]] == ["ORDER_NOT_CANCELABLE"]


async def test_page_size_default_and_cap(gw: Gateway, acme: dict) -> None:
    offers = await offer_ids(gw, acme)
    for _ in range(22):
        await create_draft(gw, acme, [{"offerId": offers["NOTEBOOK"], "quantity": 1}])
    assert len((await _list(gw, acme))["edges"]) == 20
    capped = await _list(gw, acme, first=1000)
    assert len(capped["edges"]) == 22 and capped["totalCount"] == 22
    resp = await gw.post(ORDERS, {"after": "garbage!"}, acme)
    assert resp.json()["errors"][0]["extensions"]["code"] == "BAD_REQUEST"


async def test_orders_statement_count_does_not_grow(gw: Gateway, acme: dict, operator: dict) -> None:
    offers = await offer_ids(gw, acme)
    for _ in range(100):
        d = await ready_draft(gw, acme, offers, "NOTEBOOK", 1)
        await gw.data(PLACE, {"id": d["id"]}, acme)
    counts = {}
    for first in (10, 100):
        counter = gw.count_statements()
        data = await _list(gw, operator, first=first)
        gw.stop_counting(counter)
        assert len(data["edges"]) == first
        assert all(e["node"]["lines"] and e["node"]["logisticOrders"] and e["node"]["events"] for e in data["edges"])
        counts[first] = counter.count
    print(f"statements: orders(first: 10) = {counts[10]}, orders(first: 100) = {counts[100]}")
    assert counts[10] == counts[100]


async def test_anonymous_callers_see_no_order(gw: Gateway, acme: dict) -> None:
    offers = await offer_ids(gw, acme)
    order = await _placed(gw, acme, offers)
    for client in ("OPERATOR", "ACCOUNT"):
        headers = gw.headers(client=client)
        body = await gw.gql(ORDERS, {}, headers)
        assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED", client
        for q in ("query($id: ID!) { order(id: $id) { id } }", "query($id: ID!) { draftOrder(id: $id) { id } }"):
            assert (await gw.data(q, {"id": order["id"]}, headers)) in ({"order": None}, {"draftOrder": None})
        lo = await gw.data(
            "query($id: ID!) { logisticOrder(id: $id) { id } }", {"id": order["logisticOrders"][0]["id"]}, headers
        )
        assert lo == {"logisticOrder": None}


async def test_datetime_without_zone_is_read_as_utc(gw: Gateway, acme: dict) -> None:
    await _fixture_orders(gw, acme)
    got = await _list(gw, acme, filter={"createdFrom": "2025-12-31T00:00:00", "createdTo": "2026-01-02T00:00:00"})
    assert got["totalCount"] == 5
    for bad in ("yesterday", "0001-01-01T00:00:00+05:00", "9999-12-31T23:59:59-05:00", "1" * 100):
        resp = await gw.post(ORDERS, {"filter": {"createdFrom": bad}}, acme)
        assert resp.json()["errors"][0]["extensions"]["code"] == "BAD_REQUEST", bad
    inline = await gw.post('{ orders(filter: {placedTo: "9999-12-31T23:59:59-05:00"}) { totalCount } }', {}, acme)
    assert inline.json()["errors"][0]["extensions"]["code"] == "BAD_REQUEST"


async def test_operators_list_drafts_through_orders(gw: Gateway, acme: dict, operator: dict) -> None:
    await _fixture_orders(gw, acme)
    body = await gw.gql("{ draftOrders { totalCount } }", {}, operator)
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert (await _list(gw, operator, filter={"placed": False}))["totalCount"] == 3


async def test_an_operator_reads_a_buyer_s_draft_lines_with_their_skus(gw: Gateway, acme: dict, operator: dict) -> None:
    """An operator cannot buy the buyer's offers, so the draft is priced without them for the operator; its
    lines still name their variants (the W3 listing once answered `sku: null` for them)."""
    offers = await offer_ids(gw, acme)
    made = await create_draft(gw, acme, [{"offerId": offers["NOTEBOOK"], "quantity": 2}])
    assert made["errors"] == [], made
    query = "{ orders(first: 20) { edges { node { __typename lines { sku quantity } } } } }"
    for headers in (acme, operator):
        [node] = [e["node"] for e in (await gw.data(query, None, headers))["orders"]["edges"]]
        assert node == {"__typename": "DraftOrder", "lines": [{"sku": "NOTEBOOK", "quantity": 2}]}
