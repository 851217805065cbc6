"""W4 (issue 23): the storefront's catalog page on a generated catalog (benchmarks/catalog_data.py, loaded
through the import format).

- Its statements are constant in the number of products: the same count with 12 products and with 120, for
  ACME's `products(first: 50)` with variants and offers and for GLOBEX's search through its catalog views,
  within the ceilings of tests/support/workloads.py.
- The raw reference of benchmarks/raw_reference.py answers byte-identical JSON, with and without the
  execution fast path (GATEWAY_FAST_EXECUTION), so the page read with its contents answers what the loaders did.
- What is listed follows the rules: only offers priced for the caller, an ACCOUNT price over the public one,
  inactive variants and offers left out, availability false out of stock.
"""

from __future__ import annotations

import httpx

from benchmarks import catalog_data
from benchmarks import workloads as wl
from benchmarks.raw_reference import create_app as raw_app
from tests.support.gateway import Gateway, app_client
from tests.support.workloads import CEILING


def _dialect(gw: Gateway) -> str:
    return "sqlite" if gw.settings.is_sqlite else "postgresql"


async def _count(gw: Gateway, query: str, variables: dict, headers: dict) -> tuple[int, dict]:
    counter = gw.count_statements()
    try:
        data = await gw.data(query, variables, headers)
    finally:
        gw.stop_counting(counter)
    return counter.count, data


def _offer_count(data: dict) -> int:
    return sum(len(v["offers"]) for e in data["products"]["edges"] for v in e["node"]["variants"])


async def test_w4_statements_constant_in_products(gw: Gateway) -> None:
    acme = await gw.as_user(wl.BUYER)
    globex = await gw.as_user(wl.W4_SEARCH_BUYER)
    counts = []
    for products in (12, 120):
        await catalog_data.load(gw.session_factory, products)
        n, page = await _count(gw, wl.W4_CATALOG, {}, acme)
        m, searched = await _count(gw, wl.W4_SEARCH, wl.w4_search_variables(), globex)
        counts.append((n, m, len(page["products"]["edges"]), len(searched["products"]["edges"])))
        assert _offer_count(page) > len(page["products"]["edges"])  # variants and offers are listed
    print(f"statements: W4 / W4S ({_dialect(gw)}), 12 then 120 products = {counts}")
    (n12, m12, pages12, found12), (n120, m120, pages120, found120) = counts
    assert pages12 == 6 + 12 and pages120 == 50  # the demo's 6 products and the generated ones, one page
    assert 0 < found12 < found120 <= 50
    assert (n12, m12) == (n120, m120)
    assert n120 <= CEILING[_dialect(gw)]["W4"] and m120 <= CEILING[_dialect(gw)]["W4"]


async def _raw(gw: Gateway, headers: dict, body: dict | None) -> bytes:
    app = raw_app(gw.settings.database_url)
    try:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://raw") as client:
            r = await client.post("/raw/w4", headers=headers, json=body)
            assert r.status_code == 200, r.text
            return r.content
    finally:
        await app.state.engine.dispose()


async def test_w4_raw_reference_answers_byte_identical_json(gw: Gateway) -> None:
    await catalog_data.load(gw.session_factory, 80)
    acme = await gw.as_user(wl.BUYER)
    globex = await gw.as_user(wl.W4_SEARCH_BUYER)
    shapes = [
        (wl.W4_CATALOG, {}, acme, None),
        (wl.W4_SEARCH, wl.w4_search_variables(), globex, wl.w4_search_variables()),
    ]
    async with app_client(gw, fast_execution=False) as standard:
        for query, variables, headers, raw_body in shapes:
            gateway = await gw.post(query, variables, headers)
            assert gateway.status_code == 200
            slow = await standard.post("/graphql", json={"query": query, "variables": variables}, headers=headers)
            raw = await _raw(gw, headers, raw_body)
            assert gateway.content == raw, (gateway.content[:400], raw[:400])
            assert slow.content == raw
        page = gateway.json()["data"]["products"]["edges"]
        # GLOBEX's views hold the generated products whose number is not a multiple of 3: the search finds the
        # "steel" ones (multiples of 4) among them only.
        numbers = [int(e["node"]["name"].rsplit("#", 1)[1]) for e in page]
        assert numbers and all(n % 4 == 0 and n % 3 for n in numbers), numbers
        acme_page = (await gw.data(wl.W4_CATALOG, headers=acme))["products"]["edges"]
        assert len(acme_page) == 50
        offers = [o for e in acme_page for v in e["node"]["variants"] for o in v["offers"]]
        assert any(not o["available"] for o in offers) and any(o["available"] for o in offers)
        assert any(o["priceTiers"] for o in offers) and any(o["taxRate"] == "5.50" for o in offers)
