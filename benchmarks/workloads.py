"""The three workloads of the benchmark suite (issue 15), as GraphQL documents and client steps.

W1  `addDraftOrderLines`: +1 NOTEBOOK on a draft of the client's own (one request).
W2  a checkout flow: create with 3 lines -> addresses -> shipping "standard" -> place (four requests).
W3  an operator lists `orders(first: 20)` with lines and prices (one request); the raw reference endpoint
    (benchmarks/raw_reference.py) answers the same payload.

Shared by benchmarks/suite.py (real HTTP against `serve`) and tests/test_workload_statements.py (statement
counts in process).
"""

from __future__ import annotations

API_KEY = "demo-tenant-key"
PASSWORD = "demo-password"
BUYER = "buyer@acme.example"
OPERATOR = "operator@demo.example"

TOKEN = "mutation($e: String!, $p: String!) { createToken(email: $e, password: $p) { token errors { code message } } }"
# The offers of the SKUs the workloads order, found by search: W4's generated catalog lists 1,000 more products.
_OFFERS_OF = "products(first: 10, search: {!r}) {{ edges {{ node {{ variants {{ sku offers {{ id }} }} }} }} }}"
OFFERS = (
    "{ "
    + " ".join(
        f"s{i}: " + _OFFERS_OF.format(sku).replace("'", '"')
        for i, sku in enumerate(("NOTEBOOK", "PAPER-A4", "PEN-BLUE"))
    )
    + " }"
)

# The payload a storefront reads back after an edit: lines, prices and totals.
_DRAFT = "id version lines { id quantity unitPrice { amount } total { amount } } total { amount }"
_ERRORS = "errors { code message }"

W1_ADD = (
    "mutation W1($id: ID!, $lines: [DraftOrderLineInput!]!) { addDraftOrderLines(draftOrderId: $id, lines: $lines) "
    f"{{ draftOrder {{ {_DRAFT} }} {_ERRORS} }} }}"
)
W2_CREATE = (
    "mutation W2Create($input: CreateDraftOrderInput) { createDraftOrder(input: $input) "
    f"{{ draftOrder {{ {_DRAFT} }} {_ERRORS} }} }}"
)
W2_UPDATE = (
    "mutation W2Update($id: ID!, $input: UpdateDraftOrderInput!) { updateDraftOrder(id: $id, input: $input) "
    f"{{ draftOrder {{ {_DRAFT} shippingTotal {{ amount }} }} {_ERRORS} }} }}"
)
W2_PLACE = (
    "mutation W2Place($id: ID!) { placeDraftOrder(id: $id) "
    f"{{ order {{ id reference status total {{ amount }} }} {_ERRORS} }} }}"
)
# No totalCount: the listing runs no count(*) unless a client selects it.
W3_ORDERS = (
    "query W3 { orders(first: 20) { edges { node { id reference status total { amount currency } "
    "lines { sku quantity unitPrice { amount } total { amount } } } } } }"
)

W1_SKU = "NOTEBOOK"
# (sku, quantity) within every demo rule: PAPER-A4 packs of 5, PEN-BLUE at least 10.
W2_LINES = (("NOTEBOOK", 1), ("PAPER-A4", 5), ("PEN-BLUE", 10))


def headers(token: str | None = None, client: str = "ACCOUNT") -> dict[str, str]:
    h = {"dj-api-key": API_KEY, "dj-client": client}
    if token:
        h["Authorization"] = f"Bearer {token}"
    return h


def offer_map(products_data: dict) -> dict[str, str]:
    return {
        v["sku"]: v["offers"][0]["id"]
        for connection in products_data.values()
        for e in connection["edges"]
        for v in e["node"]["variants"]
        if v["offers"]
    }


def w1_variables(draft_id: str, offers: dict[str, str]) -> dict:
    return {"id": draft_id, "lines": [{"offerId": offers[W1_SKU], "quantity": 1}]}


def w2_create_variables(offers: dict[str, str]) -> dict:
    return {"input": {"lines": [{"offerId": offers[sku], "quantity": q} for sku, q in W2_LINES]}}


def w2_steps(draft_id: str) -> list[tuple[str, dict]]:
    """The requests of a flow after its draft was created."""
    return [
        (W2_UPDATE, {"id": draft_id, "input": {"shippingAddressId": "ACME-HQ", "billingAddressId": "ACME-HQ"}}),
        (W2_UPDATE, {"id": draft_id, "input": {"shippingMethodId": "standard"}}),
        (W2_PLACE, {"id": draft_id}),
    ]


# The catalog read: a buyer's first page of products with every variant's offers as a storefront lists them.
CATALOG = (
    "query Catalog { products(first: 50) { edges { node { id name variants { sku offers { id available stock "
    "packSize price { amount currency } priceTiers { minQuantity unitPrice { amount } } } } } } } }"
)

# W4 (issue 23): the storefront's catalog page on the generated catalog (benchmarks/catalog_data.py): a buyer's
# products(first: 50) with every variant's offers as a storefront shows them (availability, stock, price,
# tiers, tax rate, supplier). W4S: the same page for a search term, as GLOBEX (catalog views) sees it.
_W4_NODE = (
    "id name variants { id sku name offers { id available stock packSize price { amount currency } "
    "priceTiers { minQuantity unitPrice { amount } } taxRate supplier { id name } } }"
)
W4_CATALOG = f"query W4 {{ products(first: 50) {{ edges {{ node {{ {_W4_NODE} }} }} }} }}"
W4_SEARCH = (
    f"query W4S($search: String) {{ products(first: 50, search: $search) {{ edges {{ node {{ {_W4_NODE} }} }} }} }}"
)
W4_SEARCH_BUYER = "buyer@globex.example"
W4_SEARCH_TERM = "steel"


def w4_search_variables() -> dict:
    return {"search": W4_SEARCH_TERM}
