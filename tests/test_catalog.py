"""Catalog visibility, price resolution, availability, paging and bad input, over HTTP."""

from __future__ import annotations

from app.services.importer import import_data
from tests.support.gateway import Gateway

PRODUCTS = """
query($first: Int, $after: String, $search: String) {
  products(first: $first, after: $after, search: $search) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { cursor node { id name variants { sku offers {
      available stock price { amount currency } minQuantity maxQuantity packSize
      priceTiers { minQuantity unitPrice { amount } } supplier { externalId } } } } }
  }
}
"""


def _offers(data: dict) -> dict[str, dict]:
    return {v["sku"]: v["offers"][0] for e in data["products"]["edges"] for v in e["node"]["variants"]}


async def test_globex_does_not_see_the_chair(gw: Gateway) -> None:
    globex = await gw.as_user("buyer@globex.example")
    acme = await gw.as_user("buyer@acme.example")
    globex_skus = set(_offers(await gw.data(PRODUCTS, {"first": 50}, globex)))
    acme_skus = set(_offers(await gw.data(PRODUCTS, {"first": 50}, acme)))
    assert "CHAIR-ERGO" in acme_skus
    assert "CHAIR-ERGO" not in globex_skus
    assert acme_skus - globex_skus == {"CHAIR-ERGO"}
    chair_id = next(
        e["node"]["id"]
        for e in (await gw.data(PRODUCTS, {"first": 50}, acme))["products"]["edges"]
        if e["node"]["variants"][0]["sku"] == "CHAIR-ERGO"
    )
    q = "query($id: ID!) { product(id: $id) { name } }"
    assert (await gw.data(q, {"id": chair_id}, globex))["product"] is None
    assert (await gw.data(q, {"id": chair_id}, acme))["product"] is not None


async def test_account_price_beats_public_price(gw: Gateway) -> None:
    acme = _offers(await gw.data(PRODUCTS, {"search": "PAPER-A4"}, await gw.as_user("buyer@acme.example")))
    globex = _offers(await gw.data(PRODUCTS, {"search": "paper-a4"}, await gw.as_user("buyer@globex.example")))
    assert acme["PAPER-A4"]["price"] == {"amount": "4.20", "currency": "EUR"}
    assert globex["PAPER-A4"]["price"] == {"amount": "5.00", "currency": "EUR"}
    anonymous = _offers(await gw.data(PRODUCTS, {"search": "PAPER"}))
    assert anonymous["PAPER-A4"]["price"]["amount"] == "5.00"


async def test_tiers_and_quantity_rules(gw: Gateway) -> None:
    offers = _offers(await gw.data(PRODUCTS, {"first": 50}, await gw.as_user("buyer@globex.example")))
    paper = offers["PAPER-A4"]
    assert paper["priceTiers"] == [
        {"minQuantity": 10, "unitPrice": {"amount": "4.50"}},
        {"minQuantity": 50, "unitPrice": {"amount": "4.00"}},
    ]
    assert paper["packSize"] == 5
    pen = offers["PEN-BLUE"]
    assert (pen["minQuantity"], pen["maxQuantity"], pen["price"]["amount"]) == (10, 500, "1.20")
    assert offers["CHAIR-ERGO" if "CHAIR-ERGO" in offers else "NOTEBOOK"]["supplier"]["externalId"]


async def test_toner_is_unavailable(gw: Gateway) -> None:
    offers = _offers(await gw.data(PRODUCTS, {"first": 50}, await gw.as_user("buyer@acme.example")))
    assert offers["TONER-X"]["available"] is False
    assert offers["TONER-X"]["stock"] == 0
    assert offers["STAPLER"]["available"] is True


async def test_search_by_name_and_sku(gw: Gateway) -> None:
    by_sku = await gw.data(PRODUCTS, {"search": "stapler"})
    assert [v["sku"] for e in by_sku["products"]["edges"] for v in e["node"]["variants"]] == ["STAPLER"]
    none = await gw.data(PRODUCTS, {"search": "%_"})
    assert none["products"]["totalCount"] == 0


async def test_paging_returns_every_product_once(gw: Gateway) -> None:
    headers = await gw.as_user("buyer@acme.example")
    seen: list[str] = []
    after = None
    while True:
        page = (await gw.data(PRODUCTS, {"first": 2, "after": after}, headers))["products"]
        seen += [e["node"]["id"] for e in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert len(seen) == len(set(seen)) == page["totalCount"] == 6


async def test_other_tenant_products_are_invisible(gw: Gateway) -> None:
    data = await gw.data(PRODUCTS, {"search": "INITECH"})
    assert data["products"]["totalCount"] == 0


async def test_bad_arguments_are_clear_errors(gw: Gateway) -> None:
    for variables, needle in (
        ({"first": -1}, "first"),
        ({"after": "not-a-cursor"}, "cursor"),
        ({"after": "W10"}, "cursor"),
        ({"search": "x" * 100_000}, "search"),
    ):
        resp = await gw.post(PRODUCTS, variables)
        assert resp.status_code == 200
        err = resp.json()["errors"][0]
        assert err["extensions"]["code"] == "BAD_REQUEST", err
        assert needle in err["message"]
    resp = await gw.post(PRODUCTS, {"first": 2**40})
    assert resp.json()["errors"][0]["extensions"]["code"] == "BAD_REQUEST"
    huge = await gw.data(PRODUCTS, {"first": 100000 // 1000})
    assert huge["products"]["totalCount"] == 6


async def _add_products(gw: Gateway, n: int) -> None:
    offers = []
    products = []
    for i in range(n):
        sku = f"BULK-{i:03d}"
        products.append(
            {
                "externalId": f"P-{sku}",
                "name": f"Bulk item {i:03d}",
                "variants": [{"sku": sku, "name": f"Bulk item {i:03d}"}],
            }
        )
        offers.append(
            {
                "externalId": f"OFF-{sku}",
                "sku": sku,
                "supplier": "SUP-NORD" if i % 2 else "SUP-SUD",
                "stock": 10,
                "prices": [
                    {
                        "target": "PUBLIC",
                        "currency": "EUR",
                        "amount": "2.00",
                        "taxRate": "20.00",
                        "tiers": [{"minQuantity": 10, "amount": "1.50"}],
                    },
                    {"target": "ACCOUNT", "account": "ACME", "currency": "EUR", "amount": "1.80", "taxRate": "20.00"},
                ],
            }
        )
    data = {"tenants": [{"externalId": "demo", "name": "Demo", "products": products, "offers": offers}]}
    async with gw.session_factory() as s, s.begin():
        await import_data(s, data)


async def test_statement_count_does_not_grow_with_products(gw: Gateway) -> None:
    await _add_products(gw, 60)
    headers = await gw.as_user("buyer@acme.example")
    counts = {}
    for first in (5, 50):
        counter = gw.count_statements()
        data = await gw.data(PRODUCTS, {"first": first}, headers)
        gw.stop_counting(counter)
        assert len(data["products"]["edges"]) == first
        counts[first] = counter.count
    print(f"statements: products(first: 5) = {counts[5]}, products(first: 50) = {counts[50]}")
    assert counts[5] == counts[50]
