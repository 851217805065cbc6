"""Query limits refuse over-limit queries before execution (BAD_REQUEST); production mode hides GraphiQL and
field suggestions; unexpected failures are masked as INTERNAL."""

from __future__ import annotations

import httpx

from app.asgi import create_app
from app.settings import Settings
from tests.support.gateway import Gateway


def _code(body: dict) -> str:
    return body["errors"][0]["extensions"]["code"]


async def test_depth_limit(gw: Gateway) -> None:
    deep = "{ viewer { user { accounts { addresses { id } } } } }"
    assert "errors" not in await gw.gql(deep)
    nested = "{ products { edges { node { variants { offers { supplier { id } } } } } } }"
    settings = Settings(database_url=gw.settings.database_url, env="test", max_query_depth=4)
    app = create_app(settings)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
        resp = await client.post("/graphql", json={"query": nested}, headers=gw.headers())
    await app.state.engine.dispose()
    assert _code(resp.json()) == "BAD_REQUEST" and resp.json()["data"] is None


async def test_alias_and_token_limits(gw: Gateway) -> None:
    aliases = "{ " + " ".join(f"a{i}: viewer {{ currency }}" for i in range(40)) + " }"
    assert _code(await gw.gql(aliases)) == "BAD_REQUEST"
    tokens = "{ viewer { " + " ".join("currency" for _ in range(6000)) + " } }"
    assert _code(await gw.gql(tokens)) == "BAD_REQUEST"


async def test_cost_limit_counts_page_sizes(gw: Gateway) -> None:
    block = """%s: products(first: 100) { edges { node { variants { offers { id stock available price { amount }
      priceTiers { minQuantity unitPrice { amount } } supplier { id name } } } } } }"""
    one = "{ " + block % "a" + " }"
    assert "errors" not in await gw.gql(one), "a heavy but sane page must pass"
    many = "{ " + " ".join(block % f"a{i}" for i in range(8)) + " }"
    body = await gw.gql(many)
    assert _code(body) == "BAD_REQUEST" and "cost" in body["errors"][0]["message"] and body["data"] is None


async def test_production_mode(gw: Gateway) -> None:
    settings = Settings(database_url=gw.settings.database_url, env="production")
    app = create_app(settings)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
        page = await client.get("/graphql", headers={"accept": "text/html"})
        assert page.status_code == 404
        resp = await client.post("/graphql", json={"query": "{ product { id } }"}, headers=gw.headers())
        body = resp.json()
        assert _code(body) == "BAD_REQUEST" and "Did you mean" not in str(body)
        typo = await client.post("/graphql", json={"query": "{ prodcts { totalCount } }"}, headers=gw.headers())
        assert "Did you mean" not in typo.text
    await app.state.engine.dispose()
    dev = await gw.gql("{ prodcts { totalCount } }")
    assert "Did you mean" in str(dev)


async def test_body_size_and_list_inputs_are_bounded(gw: Gateway) -> None:
    big = "{ viewer { currency } }" + " " * 1_100_000
    resp = await gw.post(big)
    assert resp.status_code == 413 and resp.json()["errors"][0]["extensions"]["code"] == "BAD_REQUEST"
    buyer = await gw.as_user("buyer@acme.example")
    draft = await gw.data("mutation { createDraftOrder { draftOrder { id } } }", headers=buyer)
    remove = (
        "mutation($id: ID!, $ids: [ID!]!) { removeDraftOrderLines(draftOrderId: $id, lineIds: $ids) "
        "{ errors { code field } } }"
    )
    many = [f"l{i}" for i in range(5000)]
    body = await gw.data(remove, {"id": draft["createDraftOrder"]["draftOrder"]["id"], "ids": many}, buyer)
    assert body["removeDraftOrderLines"]["errors"] == [{"code": "INVALID_INPUT", "field": ["lineIds"]}]
    operator = await gw.as_user("operator@demo.example", client="OPERATOR")
    create = "mutation($input: CreateOperationInput!) { createOperation(input: $input) { errors { code } } }"
    lines = [{"variantId": f"v{i}"} for i in range(600)]
    body = await gw.data(create, {"input": {"name": "x", "startsAt": "2026-01-01T00:00:00Z", "lines": lines}}, operator)
    assert body["createOperation"]["errors"] == [{"code": "INVALID_INPUT"}]
