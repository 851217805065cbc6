"""`node(id:)` and `nodes(ids:)` (issue 22, scope 1): every object with an identity is a Node whose id refetches
it, answered exactly as the field that shows it would answer the caller (null when unknown or not visible), in a
fixed number of statements whatever the number of ids; a placed draft answers its new state under both of its
types so that normalized caches need no eviction (docs/clients.md)."""

from __future__ import annotations

from tests.support.documents import PLACE, create_draft, ready_draft
from tests.support.gateway import Gateway
from tests.support.users import extra_buyers

NODES = "query($ids: [ID!]!) { nodes(ids: $ids) { __typename id } }"
NODE = "query($id: ID!) { node(id: $id) { __typename id } }"

BUYER_GRAPH = """query($draft: ID!, $order: ID!) {
  viewer { user { id } account { id addresses { id } } store { id } storeView { id } }
  products(first: 2) { edges { node { id variants { id offers { id supplier { id } } } } } }
  paymentMethods { id } shippingMethods { id }
  quotes { edges { node { id lines { id } } } }
  operations { edges { node { id lines { id } } } }
  draftOrder(id: $draft) { id lines { id } }
  order(id: $order) { id lines { id } logisticOrders { id } events { id } payments { id } }
}"""
OPERATOR_GRAPH = """{ promotions { edges { node { id code } } } vouchers { edges { node { id code } } } }"""
SUBSCRIBE = """mutation { createWebhookSubscription(
  input: {url: "https://hooks.example/in", eventTypes: [ORDER_PLACED]}) { subscription { id } errors { code } } }"""


def _ids(value: object, typename: str | None = None) -> list[tuple[str, str]]:
    """(id, the type it was answered as) of every object with an id in a GraphQL answer."""
    found: list[tuple[str, str]] = []
    if isinstance(value, dict):
        if "id" in value and typename:
            found.append((value["id"], typename))
        for key, child in value.items():
            found += _ids(child, _TYPES.get(key, typename if key in ("node", "edges") else None))
    elif isinstance(value, list):
        for item in value:
            found += _ids(item, typename)
    return found


_TYPES = {
    "user": "CustomerUser",
    "account": "Account",
    "addresses": "Address",
    "store": "Store",
    "storeView": "StoreView",
    "products": "Product",
    "variants": "Variant",
    "offers": "Offer",
    "supplier": "Supplier",
    "paymentMethods": "PaymentMethod",
    "shippingMethods": "ShippingMethod",
    "quotes": "Quote",
    "operations": "Operation",
    "draftOrder": "DraftOrder",
    "order": "Order",
    "logisticOrders": "LogisticOrder",
    "events": "OrderEvent",
    "payments": "Payment",
    "promotions": "Promotion",
    "vouchers": "Voucher",
}
_LINES = {"Quote": "QuoteLine", "Operation": "OperationLine", "DraftOrder": "DraftOrderLine", "Order": "OrderLine"}


def _with_lines(data: dict) -> list[tuple[str, str]]:
    """`_ids`, with each `lines` typed after its parent."""
    pairs = _ids(data)
    for key, parent in (("quotes", "Quote"), ("operations", "Operation")):
        for edge in data.get(key, {}).get("edges", []):
            pairs += [(line["id"], _LINES[parent]) for line in edge["node"]["lines"]]
    for key, parent in (("draftOrder", "DraftOrder"), ("order", "Order")):
        if data.get(key):
            pairs += [(line["id"], _LINES[parent]) for line in data[key]["lines"]]
    return pairs


async def _placed_and_draft(gw: Gateway, acme: dict, offers: dict[str, str]) -> tuple[str, str]:
    placed = await ready_draft(gw, acme, offers, "PAPER-A4", 10)
    p = (await gw.data(PLACE, {"id": placed["id"], "input": {"paymentMethodId": "bank-wire"}}, acme))["placeDraftOrder"]
    assert p["errors"] == [], p
    draft = await ready_draft(gw, acme, offers, "PEN-BLUE", 10)
    return draft["id"], placed["id"]


async def test_every_object_a_buyer_is_shown_refetches_by_its_id(gw: Gateway, acme: dict, offers: dict) -> None:
    draft_id, order_id = await _placed_and_draft(gw, acme, offers)
    graph = await gw.data(BUYER_GRAPH, {"draft": draft_id, "order": order_id}, acme)
    pairs = list(dict.fromkeys(_with_lines(graph)))
    kinds = {t for _, t in pairs}
    assert kinds >= {
        *("CustomerUser", "Account", "Address", "Store", "Product", "Variant", "Offer", "Supplier"),
        *("PaymentMethod", "ShippingMethod", "Quote", "QuoteLine", "DraftOrder", "DraftOrderLine"),
        *("Order", "OrderLine", "LogisticOrder", "OrderEvent", "Payment"),
    }, kinds
    answered = (await gw.data(NODES, {"ids": [i for i, _ in pairs]}, acme))["nodes"]
    assert [(n["id"], n["__typename"]) for n in answered] == pairs
    # One id, one object: node answers as nodes does.
    assert (await gw.data(NODE, {"id": draft_id}, acme))["node"] == {"__typename": "DraftOrder", "id": draft_id}


async def test_node_answers_the_fields_the_type_shows(gw: Gateway, acme: dict, offers: dict) -> None:
    draft_id, order_id = await _placed_and_draft(gw, acme, offers)
    query = """query($ids: [ID!]!) { nodes(ids: $ids) { id
      ... on DraftOrder { status lines { id quantity total { amount } } total { amount } issues { code } }
      ... on Order { status reference total { amount } lines { sku } } } }"""
    draft, order = (await gw.data(query, {"ids": [draft_id, order_id]}, acme))["nodes"]
    assert draft["status"] == "DRAFT" and draft["lines"][0]["quantity"] == 10 and draft["issues"] == []
    assert order["status"] == "PLACED" and order["reference"].startswith("ORD-")
    assert order["lines"] == [{"sku": "PAPER-A4"}]
    line_id = draft["lines"][0]["id"]
    line = (
        await gw.data(
            "query($id: ID!) { node(id: $id) { ... on DraftOrderLine { id quantity total { amount } } } }",
            {"id": line_id},
            acme,
        )
    )["node"]
    assert line == draft["lines"][0]


async def test_what_the_caller_may_not_see_is_null(
    gw: Gateway, acme: dict, globex: dict, operator: dict, offers: dict
) -> None:
    draft_id, order_id = await _placed_and_draft(gw, acme, offers)
    graph = await gw.data(BUYER_GRAPH, {"draft": draft_id, "order": order_id}, acme)
    private = [
        draft_id,
        order_id,
        graph["draftOrder"]["lines"][0]["id"],
        graph["order"]["lines"][0]["id"],
        graph["order"]["logisticOrders"][0]["id"],
        graph["order"]["events"][0]["id"],
        graph["order"]["payments"][0]["id"],
        graph["viewer"]["account"]["addresses"][0]["id"],
        graph["viewer"]["account"]["id"],
        graph["viewer"]["user"]["id"],
        graph["quotes"]["edges"][0]["node"]["id"],
    ]
    assert (await gw.data(NODES, {"ids": private}, globex))["nodes"] == [None] * len(private)
    anonymous = gw.headers()
    assert (await gw.data(NODES, {"ids": private}, anonymous))["nodes"] == [None] * len(private)
    # Unknown ids, malformed ones, and ids of what only operators read.
    ops = await gw.data(OPERATOR_GRAPH, headers=operator)
    promo, voucher = ops["promotions"]["edges"][0]["node"]["id"], ops["vouchers"]["edges"][0]["node"]["id"]
    unknown = ["nope", "x" * 100, "a.b", "é" * 20, promo, voucher]
    assert (await gw.data(NODES, {"ids": unknown}, acme))["nodes"] == [None] * len(unknown)
    # The operator of the store sees the buyer's orders, and its promotions and vouchers.
    seen = (await gw.data(NODES, {"ids": [order_id, draft_id, promo, voucher]}, operator))["nodes"]
    assert [n["__typename"] for n in seen] == ["Order", "DraftOrder", "Promotion", "Voucher"]


async def test_webhook_subscriptions_and_deliveries_are_nodes_for_their_operator(
    gw: Gateway, acme: dict, operator: dict, offers: dict
) -> None:
    sub = (await gw.data(SUBSCRIBE, headers=operator))["createWebhookSubscription"]["subscription"]["id"]
    await _placed_and_draft(gw, acme, offers)
    page = [
        e["node"]
        for e in (
            await gw.data(
                "query($s: ID!) { webhookDeliveries(subscriptionId: $s) { edges { node { id eventId status } } } }",
                {"s": sub},
                operator,
            )
        )["webhookDeliveries"]["edges"]
    ]
    assert page, "the placement queued a delivery"
    ids = [sub, page[0]["id"]]
    answered = (await gw.data(NODES, {"ids": ids}, operator))["nodes"]
    assert [(n["__typename"], n["id"]) for n in answered] == [
        ("WebhookSubscription", sub),
        ("WebhookDelivery", page[0]["id"]),
    ]
    assert (await gw.data(NODES, {"ids": ids}, acme))["nodes"] == [None, None]


async def test_nodes_takes_a_fixed_number_of_statements(gw: Gateway, acme: dict, offers: dict) -> None:
    drafts = []
    for _ in range(6):
        d = await create_draft(gw, acme, [{"offerId": offers["PAPER-A4"], "quantity": 5}])
        drafts.append(d["draftOrder"])
    catalog = await gw.data(
        "{ products(first: 12) { edges { node { id variants { id offers { id } } } } } }", headers=acme
    )
    products = [e["node"] for e in catalog["products"]["edges"]]

    def mix(n: int) -> list[str]:
        return (
            [d["id"] for d in drafts[:n]]
            + [d["lines"][0]["id"] for d in drafts[:n]]
            + [p["id"] for p in products[:n]]
            + [p["variants"][0]["id"] for p in products[:n]]
            + [p["variants"][0]["offers"][0]["id"] for p in products[:n] if p["variants"][0]["offers"]]
        )

    query = """query($ids: [ID!]!) { nodes(ids: $ids) { __typename id
      ... on DraftOrder { total { amount } lines { quantity } }
      ... on DraftOrderLine { quantity offer { id } }
      ... on Product { name variants { sku } }
      ... on Variant { sku offers { id } }
      ... on Offer { available price { amount } supplier { name } } } }"""
    counts = {}
    for n in (2, 6):
        ids = mix(n)
        counter = gw.count_statements()
        answered = (await gw.data(query, {"ids": ids}, acme))["nodes"]
        gw.stop_counting(counter)
        assert [a["id"] for a in answered] == ids and None not in answered
        counts[n] = counter.count
    print(f"statements: nodes of {len(mix(2))} ids = {counts[2]}, of {len(mix(6))} ids = {counts[6]}")
    assert counts[2] == counts[6]


async def test_nodes_takes_at_most_100_ids(gw: Gateway, acme: dict) -> None:
    body = await gw.gql(NODES, {"ids": ["x"] * 101}, acme)
    assert body["errors"][0]["extensions"]["code"] == "BAD_REQUEST"


async def test_placement_answers_the_draft_under_its_own_type_too(gw: Gateway, acme: dict, offers: dict) -> None:
    draft = await ready_draft(gw, acme, offers, "PAPER-A4", 10)
    place = """mutation($id: ID!) { placeDraftOrder(id: $id) {
      order { __typename id status } draftOrder { __typename id status total { amount } issues { code } }
      errors { code } } }"""
    p = (await gw.data(place, {"id": draft["id"]}, acme))["placeDraftOrder"]
    assert p["errors"] == []
    assert p["order"] == {"__typename": "Order", "id": draft["id"], "status": "PLACED"}
    assert p["draftOrder"]["__typename"] == "DraftOrder" and p["draftOrder"]["id"] == draft["id"]
    assert p["draftOrder"]["status"] == "PLACED" and p["draftOrder"]["issues"] == []
    assert p["draftOrder"]["total"] == draft["total"]
    # node answers the state's type; the draft query answers null once placed.
    assert (await gw.data(NODE, {"id": draft["id"]}, acme))["node"]["__typename"] == "Order"
    assert (await gw.data("query($id: ID!) { draftOrder(id: $id) { id } }", {"id": draft["id"]}, acme))[
        "draftOrder"
    ] is None


async def test_every_move_across_the_draft_boundary_answers_both_views(
    live: Gateway, live_acme: dict, live_offers: dict
) -> None:
    # A served gateway: a redirect payment starts on the sandbox provider's page.
    gw, acme, offers = live, live_acme, live_offers
    draft = await ready_draft(gw, acme, offers, "PAPER-A4", 10)
    place = """mutation($id: ID!) { placeDraftOrder(id: $id, input: {paymentMethodId: "card-redirect"}) {
      order { __typename id status reference } draftOrder { __typename id status } nextStep errors { code } } }"""
    p = (await gw.data(place, {"id": draft["id"]}, acme))["placeDraftOrder"]
    assert p["errors"] == [] and p["nextStep"]
    assert (p["order"]["__typename"], p["order"]["status"]) == ("Order", "PAYMENT_PENDING")
    assert p["draftOrder"] == {"__typename": "DraftOrder", "id": draft["id"], "status": "PAYMENT_PENDING"}
    # Giving up the payment gives the draft back: the Order view says so too.
    cancel = """mutation($key: String!) { cancelPayment(orderKey: $key) {
      order { __typename id status } placedOrder { __typename id status } errors { code } } }"""
    c = (await gw.data(cancel, {"key": p["order"]["reference"]}, acme))["cancelPayment"]
    assert c["errors"] == []
    assert c["order"] == {"__typename": "DraftOrder", "id": draft["id"], "status": "DRAFT"}
    assert c["placedOrder"] == {"__typename": "Order", "id": draft["id"], "status": "DRAFT"}

    cart = (await gw.data("{ cart { id } }", headers=acme))["cart"]["id"]
    add = "mutation($id: ID!, $o: ID!) { addDraftOrderLines(draftOrderId: $id, lines: [{offerId: $o, quantity: 10}]) {"
    add += " errors { code } } }"
    assert (await gw.data(add, {"id": cart, "o": offers["PAPER-A4"]}, acme))["addDraftOrderLines"]["errors"] == []
    checkout = """mutation { checkoutCart(input: {addressId: "ACME-HQ", paymentMethodId: "bank-wire",
      shippingMethodId: "standard"}) { result { __typename } draftOrder { __typename id status } errors { code } } }"""
    done = (await gw.data(checkout, headers=acme))["checkoutCart"]
    assert done["errors"] == [] and done["result"]["__typename"] == "DirectPayment"
    assert done["draftOrder"] == {"__typename": "DraftOrder", "id": cart, "status": "PLACED"}


async def test_a_requisition_list_is_a_node_for_whoever_sees_it(gw: Gateway, acme: dict, globex: dict) -> None:
    [colleague] = await extra_buyers(gw, 1)
    create = """mutation($input: CreateRequisitionListInput!) { createRequisitionList(input: $input) {
      requisitionList { id } errors { code } } }"""
    made = await gw.data(create, {"input": {"name": "Desk", "items": [{"sku": "PEN-BLUE", "quantity": 20}]}}, acme)
    assert made["createRequisitionList"]["errors"] == [], made
    list_id = made["createRequisitionList"]["requisitionList"]["id"]
    read = """query($id: ID!) { node(id: $id) { __typename id
      ... on RequisitionList { name shared ownedByViewer items { sku quantity } } } }"""
    assert (await gw.data(read, {"id": list_id}, acme))["node"] == {
        "__typename": "RequisitionList",
        "id": list_id,
        "name": "Desk",
        "shared": False,
        "ownedByViewer": True,
        "items": [{"sku": "PEN-BLUE", "quantity": 20}],
    }
    # private: not for a colleague of the same account, nor another account
    assert (await gw.data(NODE, {"id": list_id}, colleague))["node"] is None
    assert (await gw.data(NODE, {"id": list_id}, globex))["node"] is None
    share = "mutation($id: ID!) { shareRequisitionList(id: $id, shared: true) { errors { code } } }"
    assert (await gw.data(share, {"id": list_id}, acme))["shareRequisitionList"]["errors"] == []
    shared = (await gw.data(read, {"id": list_id}, colleague))["node"]
    assert (shared["shared"], shared["ownedByViewer"]) == (True, False)
