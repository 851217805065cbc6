"""Every connection pages both ways (issue 22, scope 1): first/after forward, last/before backward, with
hasNextPage/hasPreviousPage true exactly when items lie beyond the page on that side; orders sort by typed keys
(orderBy), the string sort staying as it was; lists that grow (promotions, vouchers, webhook deliveries) are
connections."""

from __future__ import annotations

from tests.support.documents import PLACE, create_draft, ready_draft
from tests.support.gateway import Gateway

PAGE = """query($first: Int, $after: String, $last: Int, $before: String) {
  %s(%sfirst: $first, after: $after, last: $last, before: $before) {
    edges { cursor node { id } } totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }"""
QUOTE = """mutation($input: CreateQuoteInput!) { createQuote(input: $input) { quote { id } errors { code } } }"""
OPERATION = """mutation($input: CreateOperationInput!) { createOperation(input: $input) {
  operation { id } errors { code } } }"""
SUBSCRIBE = """mutation { createWebhookSubscription(
  input: {url: "https://hooks.example/in", eventTypes: [ORDER_PLACED]}) { subscription { id } errors { code } } }"""


async def _walk(gw: Gateway, headers: dict, field: str, args: str = "", size: int = 2) -> list[str]:
    """The ids of the whole connection read forward, checked against the same read backward, page flags
    included. At least three pages, so that a page has items on both sides."""
    query = PAGE % (field, args)

    async def page(**variables: object) -> dict:
        return (await gw.data(query, variables, headers))[field]

    forward: list[str] = []
    cursor, pages = None, []
    while True:
        p = await page(first=size, after=cursor)
        pages.append(p)
        forward += [e["node"]["id"] for e in p["edges"]]
        info = p["pageInfo"]
        assert info["hasPreviousPage"] == (cursor is not None), (field, len(pages), info)
        if not info["hasNextPage"]:
            break
        cursor = info["endCursor"]
        assert cursor == p["edges"][-1]["cursor"] and info["startCursor"] == p["edges"][0]["cursor"]
    assert len(pages) >= 3, f"{field}: {len(forward)} items are too few to page both ways"
    assert len(set(forward)) == len(forward) == pages[0]["totalCount"]

    backward: list[str] = []
    cursor, count = None, 0
    while True:
        p = await page(last=size, before=cursor)
        count += 1
        backward = [e["node"]["id"] for e in p["edges"]] + backward
        info = p["pageInfo"]
        assert info["hasNextPage"] == (cursor is not None), (field, count, info)
        if not info["hasPreviousPage"]:
            break
        cursor = info["startCursor"]
    assert backward == forward, field
    # A middle page read backward from a forward cursor: the items just before it.
    middle = forward.index(forward[size * 2])
    p = await page(last=size, before=pages[2]["edges"][0]["cursor"])
    assert [e["node"]["id"] for e in p["edges"]] == forward[middle - size : middle]
    assert p["pageInfo"]["hasPreviousPage"] == (middle - size > 0) and p["pageInfo"]["hasNextPage"]
    return forward


async def test_buyer_connections_page_both_ways(gw: Gateway, acme: dict, offers: dict) -> None:
    for _ in range(5):
        await create_draft(gw, acme, [{"offerId": offers["PAPER-A4"], "quantity": 5}])
    for _ in range(2):
        d = await ready_draft(gw, acme, offers, "PEN-BLUE", 10)
        assert (await gw.data(PLACE, {"id": d["id"]}, acme))["placeDraftOrder"]["errors"] == []
    await _walk(gw, acme, "products")
    await _walk(gw, acme, "draftOrders")
    await _walk(gw, acme, "orders")
    await _walk(gw, acme, "orders", "orderBy: [{field: TOTAL_AMOUNT, direction: DESC}, {field: PLACED_AT}], ")
    await _walk(gw, acme, "orders", "filter: {placed: false}, orderBy: [{field: REFERENCE}], ", size=1)


async def test_operator_connections_page_both_ways(gw: Gateway, acme: dict, operator: dict, offers: dict) -> None:
    sub = (await gw.data(SUBSCRIBE, headers=operator))["createWebhookSubscription"]["subscription"]["id"]
    for _ in range(5):
        d = await ready_draft(gw, acme, offers, "PAPER-A4", 10)
        assert (await gw.data(PLACE, {"id": d["id"]}, acme))["placeDraftOrder"]["errors"] == []
    for name in ("A", "B"):
        line = {"offerId": offers["STAPLER"], "quantity": 1, "unitPrice": "1.00"}
        q = (await gw.data(QUOTE, {"input": {"accountId": "ACME", "lines": [line]}}, operator))["createQuote"]
        o = (
            await gw.data(
                OPERATION, {"input": {"name": name, "startsAt": "2026-01-01T00:00:00Z", "lines": []}}, operator
            )
        )["createOperation"]
        assert q["errors"] == [] and o["errors"] == [], (q, o)
    await _walk(gw, operator, "orders", size=2)
    await _walk(gw, operator, "promotions", size=1)
    await _walk(gw, operator, "vouchers", size=1)
    await _walk(gw, operator, "quotes", size=1)
    await _walk(gw, operator, "operations", size=1)
    deliveries = await _walk(gw, operator, "webhookDeliveries", f'subscriptionId: "{sub}", ', size=2)
    assert len(deliveries) == 5


async def test_order_by_sorts_as_the_string_sort_did(gw: Gateway, acme: dict, offers: dict) -> None:
    for quantity in (10, 30, 20):
        d = await ready_draft(gw, acme, offers, "PAPER-A4", quantity)
        assert (await gw.data(PLACE, {"id": d["id"]}, acme))["placeDraftOrder"]["errors"] == []
    typed = "{ orders(orderBy: [{field: TOTAL_AMOUNT, direction: DESC}]) { edges { node { id total { amount } } } } }"
    legacy = '{ orders(sort: ["totalAmount:desc"]) { edges { node { id total { amount } } } } }'
    by_type = (await gw.data(typed, headers=acme))["orders"]["edges"]
    assert by_type == (await gw.data(legacy, headers=acme))["orders"]["edges"]
    amounts = [float(e["node"]["total"]["amount"]) for e in by_type]
    assert amounts == sorted(amounts, reverse=True) and len(amounts) == 3


async def test_paging_arguments_are_checked(gw: Gateway, acme: dict) -> None:
    for query in (
        "{ products(first: 2, last: 2) { totalCount } }",
        '{ orders(first: 2, before: "x") { totalCount } }',
        "{ draftOrders(last: -1) { totalCount } }",
        '{ orders(sort: ["reference"], orderBy: [{field: REFERENCE}]) { totalCount } }',
    ):
        body = await gw.gql(query, headers=acme)
        assert body["errors"][0]["extensions"]["code"] == "BAD_REQUEST", (query, body)
    # A sort key outside the enum is a validation error, not a silently ignored entry.
    body = await gw.gql("{ orders(orderBy: [{field: COLOR}]) { totalCount } }", headers=acme)
    assert body["errors"] and body.get("data") is None
