"""The HTTP edge over HTTP: CORS (in process, and a real preflight from headless Chromium), compression,
GraphQL over HTTP (media types, status codes, uniform 401s, 405 and 415) and the offline GraphiQL page."""

from __future__ import annotations

import json
import os
import re
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from graphql import parse, validate
from sqlalchemy import update

from app.graphiql import DEMO_OPERATIONS, STATIC
from app.models import AuthToken, utcnow
from app.schema import schema
from app.schema.docs import served_graphql_schema
from tests.support.gateway import Gateway, app_client
from tests.support.node import JS, missing, npm_project, run_tool
from tests.support.servers import gateways

GRAPHQL_RESPONSE = "application/graphql-response+json"
PREFLIGHT = {
    "access-control-request-method": "POST",
    "access-control-request-headers": "dj-api-key, dj-client, dj-store, dj-store-view, customer-account-id, "
    "authorization, content-type",
}
# What browsers add: trace context and request ids (OpenTelemetry web, Sentry), idempotency keys, Apollo
# Client's client awareness.
BROWSER_HEADERS = [
    "traceparent",
    "tracestate",
    "baggage",
    "x-request-id",
    "idempotency-key",
    "apollographql-client-name",
    "apollographql-client-version",
]


async def _preflight(client: httpx.AsyncClient, origin: str) -> httpx.Response:
    return await client.options("/graphql", headers={"origin": origin, **PREFLIGHT})


async def test_cors_configured_origins(gw: Gateway) -> None:
    async with app_client(gw, env="production", cors_origins="https://shop.example, https://b2b.example") as c:
        ok = await _preflight(c, "https://shop.example")
        assert ok.status_code == 200
        assert ok.headers["access-control-allow-origin"] == "https://shop.example"
        allowed = {h.strip() for h in ok.headers["access-control-allow-headers"].split(",")}
        assert {h.strip() for h in PREFLIGHT["access-control-request-headers"].split(",")} <= allowed
        assert "POST" in ok.headers["access-control-allow-methods"]
        other = await _preflight(c, "https://evil.example")
        assert "access-control-allow-origin" not in other.headers
        # the actual request: the allowed origin may read the answer, another may not
        headers = {**gw.headers(), "origin": "https://b2b.example"}
        resp = await c.post("/graphql", json={"query": "{ viewer { clientType } }"}, headers=headers)
        assert resp.status_code == 200 and resp.headers["access-control-allow-origin"] == "https://b2b.example"
        resp = await c.post(
            "/graphql", json={"query": "{ viewer { clientType } }"}, headers={**headers, "origin": "https://x.example"}
        )
        assert "access-control-allow-origin" not in resp.headers
        # a refused request still carries the CORS headers, so the browser can read the 401
        denied = await c.post(
            "/graphql", json={"query": "{ viewer { clientType } }"}, headers={"origin": headers["origin"]}
        )
        assert denied.status_code == 401 and denied.headers["access-control-allow-origin"] == "https://b2b.example"


async def test_cors_defaults(gw: Gateway) -> None:
    async with app_client(gw, env="production") as c:
        for origin in ("http://localhost:5173", "https://shop.example"):
            resp = await _preflight(c, origin)
            assert not any(h.startswith("access-control-") for h in resp.headers), resp.headers
    async with app_client(gw, env="development") as c:
        for origin in ("http://localhost:5173", "http://127.0.0.1:3000", "http://localhost"):
            resp = await _preflight(c, origin)
            assert resp.status_code == 200 and resp.headers["access-control-allow-origin"] == origin
        for origin in ("https://shop.example", "http://localhost.evil.example", "http://127.0.0.1.example:80"):
            resp = await _preflight(c, origin)
            assert "access-control-allow-origin" not in resp.headers, origin


async def _asks(client: httpx.AsyncClient, headers: list[str]) -> httpx.Response:
    request_headers = ", ".join([*PREFLIGHT["access-control-request-headers"].split(", "), *headers])
    return await client.options(
        "/graphql",
        headers={
            "origin": "http://localhost:5173",
            "access-control-request-method": "POST",
            "access-control-request-headers": request_headers,
        },
    )


async def test_cors_allows_tracing_and_client_headers_and_exposes_the_request_id(gw: Gateway) -> None:
    async with app_client(gw, env="development") as c:
        ok = await _asks(c, BROWSER_HEADERS)
        assert ok.status_code == 200, ok.text
        allowed = {h.strip() for h in ok.headers["access-control-allow-headers"].split(",")}
        assert set(BROWSER_HEADERS) <= allowed
        refused = await _asks(c, ["x-not-allowed"])
        assert refused.status_code == 400 and refused.text == "Disallowed CORS headers"
        headers = {**gw.headers(), "origin": "http://localhost:5173", "x-request-id": "edge-test-1"}
        resp = await c.post("/graphql", json={"query": "{ viewer { clientType } }"}, headers=headers)
        assert resp.headers["x-request-id"] == "edge-test-1"
        exposed = {h.strip().lower() for h in resp.headers["access-control-expose-headers"].split(",")}
        assert {"x-request-id", "www-authenticate", "retry-after"} <= exposed


async def test_cors_allowed_headers_are_configurable(gw: Gateway) -> None:
    async with app_client(gw, env="development", cors_allow_headers="X-Shop-Channel") as c:
        # The configured headers replace the default extras; what the gateway reads stays allowed.
        assert (await _asks(c, ["x-shop-channel", "traceparent", "x-request-id"])).status_code == 200
        assert (await _asks(c, ["apollographql-client-name"])).status_code == 400
    async with app_client(gw, env="development", cors_allow_headers="") as c:
        assert (await _asks(c, ["idempotency-key"])).status_code == 400
        assert (await _asks(c, ["baggage"])).status_code == 200
    async with app_client(gw, env="development", cors_allow_headers="*") as c:
        assert (await _asks(c, ["x-anything", *BROWSER_HEADERS])).status_code == 200


@pytest.mark.slow
@pytest.mark.xdist_group("node")
def test_cors_preflight_from_chromium(database_url: str) -> None:
    """Chromium on a page of http://localhost:P calls http://127.0.0.1:P/graphql (another origin) with the
    browser headers: the preflight passes, the answer and its X-Request-Id are readable; one header more
    and the browser refuses to send the request."""
    chromium = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    if not Path(chromium).exists():
        missing(f"Chromium is needed at {chromium} (Debian package chromium; the CI installs it)")
    npm_project(JS)
    with gateways(database_url, GATEWAY_ENV="development") as [url]:
        page = url.replace("127.0.0.1", "localhost") + "/health"
        run = run_tool(["node", "cors.mjs", page, f"{url}/graphql"], JS, timeout=180)
    lines = [line for line in run.stdout.splitlines() if line.startswith("{")]
    assert run.returncode == 0 and lines, run.stdout + run.stderr
    report = json.loads(lines[-1])
    assert report["allowed"]["status"] == 200, report
    assert report["allowed"]["data"]["viewer"] == {"clientType": "ACCOUNT", "currency": "EUR"}
    assert report["allowed"]["requestId"] == "browser-preflight-1"  # exposed, so the script reads it
    assert report["refused"] == {"error": "TypeError: Failed to fetch"}


async def test_large_answers_are_compressed(gw: Gateway) -> None:
    big = "{ products(first: 100) { edges { node { id name variants { id sku offers { id price { amount } } } } } } }"
    resp = await gw.client.post("/graphql", json={"query": big}, headers={**gw.headers(), "accept-encoding": "gzip"})
    assert resp.status_code == 200 and resp.headers["content-encoding"] == "gzip"
    assert int(resp.headers["content-length"]) < len(resp.content)  # decoded by httpx: compressed on the wire
    assert resp.json()["data"]["products"]["edges"]
    small = await gw.client.post(
        "/graphql", json={"query": "{ __typename }"}, headers={**gw.headers(), "accept-encoding": "gzip"}
    )
    assert "content-encoding" not in small.headers
    plain = await gw.client.post(
        "/graphql", json={"query": big}, headers={**gw.headers(), "accept-encoding": "identity"}
    )
    assert "content-encoding" not in plain.headers and plain.json() == resp.json()


async def test_media_type_negotiation(gw: Gateway) -> None:
    q = {"query": "{ __typename }"}
    for accept, media in (
        (GRAPHQL_RESPONSE, GRAPHQL_RESPONSE),
        (f"{GRAPHQL_RESPONSE}, application/json;q=0.9", GRAPHQL_RESPONSE),
        (f"application/json, {GRAPHQL_RESPONSE}", GRAPHQL_RESPONSE),
        (f"{GRAPHQL_RESPONSE};q=0.5, application/json", "application/json"),
        ("application/json", "application/json"),
        ("*/*", "application/json"),
        (None, "application/json"),
    ):
        headers = gw.headers() | ({"accept": accept} if accept else {})
        resp = await gw.client.post("/graphql", json=q, headers=headers)
        if accept is None:
            resp = await gw.client.post("/graphql", json=q, headers={**headers, "accept": ""})
        assert resp.status_code == 200
        assert resp.headers["content-type"].split(";")[0] == media, (accept, resp.headers)
        assert resp.json() == {"data": {"__typename": "Query"}}


async def test_request_errors_are_400_without_data(gw: Gateway) -> None:
    headers = {**gw.headers(), "accept": GRAPHQL_RESPONSE}
    for body in (
        {"query": "{"},  # parse
        {"query": "{ noSuchField }"},  # validation
        {"query": "query($id: ID!) { __typename }", "variables": {"id": None}},  # variable coercion
        {"query": "{ " + " ".join(f"a{i}: viewer {{ currency }}" for i in range(40)) + " }"},  # a limit
    ):
        resp = await gw.client.post("/graphql", json=body, headers=headers)
        assert resp.status_code == 400, (body, resp.text)
        assert resp.headers["content-type"].startswith(GRAPHQL_RESPONSE)
        got = resp.json()
        assert "data" not in got and got["errors"][0]["extensions"]["code"] == "BAD_REQUEST", got
        # application/json clients: unchanged, 200 with data null
        legacy = await gw.client.post("/graphql", json=body, headers={**headers, "accept": "application/json"})
        assert legacy.status_code == 200 and legacy.json()["data"] is None
    # a field error is not a request error: 200, with data
    resp = await gw.client.post("/graphql", json={"query": "{ products(first: -1) { totalCount } }"}, headers=headers)
    assert resp.status_code == 200 and "data" in resp.json()


async def test_authentication_failures_answer_alike(gw: Gateway) -> None:
    token = await gw.token("buyer@acme.example")
    expired = await gw.token("buyer@acme.example")
    async with gw.session_factory() as s, s.begin():
        await s.execute(update(AuthToken).where(AuthToken.id.isnot(None)).values(expires_at=utcnow() + timedelta(1)))
    q = {"query": "{ draftOrders(first: 1) { totalCount } }"}
    base = {**gw.headers(), "accept": GRAPHQL_RESPONSE}
    ok = await gw.client.post("/graphql", json=q, headers={**base, "authorization": f"Bearer {token}"})
    assert ok.status_code == 200 and ok.json()["data"]["draftOrders"]["totalCount"] == 0
    async with gw.session_factory() as s, s.begin():
        await s.execute(update(AuthToken).values(expires_at=utcnow() - timedelta(seconds=1)))
    for case, headers in (
        ("missing token", base),
        ("bad token", {**base, "authorization": "Bearer nope"}),
        ("malformed header", {**base, "authorization": "Basic abc"}),
        ("expired token", {**base, "authorization": f"Bearer {expired}"}),
        ("missing api key", {k: v for k, v in base.items() if k != "dj-api-key"}),
    ):
        resp = await gw.client.post("/graphql", json=q, headers=headers)
        assert resp.status_code == 401, (case, resp.text)
        assert resp.headers["www-authenticate"].startswith("Bearer"), case
        assert resp.headers["content-type"].startswith(GRAPHQL_RESPONSE), case
        body = resp.json()
        assert body["data"] is None and body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED", (case, body)
    # a missing token on a mutation that needs a user: no partial data either
    mutation = {"query": "mutation { createDraftOrder { draftOrder { id } errors { code } } }"}
    resp = await gw.client.post("/graphql", json=mutation, headers=base)
    assert resp.status_code == 401 and resp.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    # a bad token answers 401 with WWW-Authenticate for application/json clients too
    resp = await gw.client.post("/graphql", json=q, headers={**gw.headers(), "authorization": "Bearer nope"})
    assert resp.status_code == 401 and resp.headers["www-authenticate"].startswith("Bearer")


async def test_mutation_over_get_is_405(gw: Gateway) -> None:
    for accept in (GRAPHQL_RESPONSE, "application/json"):
        resp = await gw.client.get(
            "/graphql",
            params={"query": "mutation { revokeToken { revoked } }"},
            headers={**gw.headers(), "accept": accept},
        )
        assert resp.status_code == 405 and resp.headers["allow"] == "POST", resp.text
        assert resp.json()["errors"][0]["extensions"]["code"] == "BAD_REQUEST"
    ok = await gw.client.get("/graphql", params={"query": "{ __typename }"}, headers=gw.headers())
    assert ok.status_code == 200 and ok.json() == {"data": {"__typename": "Query"}}


async def test_unsupported_content_type_is_415(gw: Gateway) -> None:
    for content_type in ("text/plain", "application/x-www-form-urlencoded", "application/graphql", None):
        headers = gw.headers() | ({"content-type": content_type} if content_type else {})
        resp = await gw.client.post("/graphql", content=b'{"query": "{ __typename }"}', headers=headers)
        assert resp.status_code == 415, (content_type, resp.text)
        assert resp.json()["errors"][0]["extensions"]["code"] == "BAD_REQUEST"
    ok = await gw.client.post(
        "/graphql",
        content=b'{"query": "{ __typename }"}',
        headers={**gw.headers(), "content-type": "application/json; charset=utf-8"},
    )
    assert ok.status_code == 200


async def test_operation_name_must_be_a_string(gw: Gateway) -> None:
    for name in ({"obj": 1}, 0, False, ["Q"]):
        body = {"query": "query Q { __typename }", "operationName": name}
        resp = await gw.client.post("/graphql", json=body, headers=gw.headers())
        assert resp.status_code == 400, (name, resp.text)
    ok = await gw.client.post(
        "/graphql", json={"query": "query Q { __typename }", "operationName": "Q"}, headers=gw.headers()
    )
    assert ok.json() == {"data": {"__typename": "Query"}}


async def test_graphiql_is_served_offline(gw: Gateway) -> None:
    async with app_client(gw, env="development") as c:
        page = await c.get("/graphql", headers={"accept": "text/html"})
        assert page.status_code == 200
        html = page.text
        assets = [a for a in re.findall(r'(?:src|href)="([^"]+)"', html) if not a.startswith("data:")]
        assert len(assets) == 6 and all(a.startswith("/graphiql/assets/") for a in assets), assets
        assert not re.search(r"https?://", html), "the page must load nothing from another host"
        for asset in assets:
            resp = await c.get(asset)
            assert resp.status_code == 200 and resp.content == (STATIC / asset.rsplit("/", 1)[1]).read_bytes()
        assert "shouldPersistHeaders: false" in html
        assert '\\"dj-api-key\\": \\"demo-tenant-key\\"' in html and "mutation PlaceDraft" in html
    async with app_client(gw, env="production", graphiql=True) as c:
        html = (await c.get("/graphql", headers={"accept": "text/html"})).text
        assert "demo-tenant-key" not in html and "graphiql.min.js" in html
    async with app_client(gw, env="production") as c:
        assert (await c.get("/graphiql/assets/graphiql.min.js")).status_code == 404


def test_graphiql_example_operations_are_valid() -> None:
    assert validate(served_graphql_schema(schema), parse(DEMO_OPERATIONS)) == []
