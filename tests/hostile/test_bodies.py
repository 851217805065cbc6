"""Malformed bodies, encodings, sizes and nesting: HTTP 400 JSON with BAD_REQUEST, never a 500, and the
connection stays usable."""

from __future__ import annotations

import asyncio
import json
from urllib.parse import urlsplit

import pytest

from tests.support.documents import CREATE, UPDATE
from tests.support.gateway import API_KEY, Gateway
from tests.support.servers import gateways

SEARCH = "query($s: String) { products(search: $s) { totalCount } }"
BAD_BODIES = {
    "string": b'"hello"',
    "number": b"42",
    "null": b"null",
    "batch": b"[]",
    "nested JSON": b"[" * 5000 + b"]" * 5000,
    "nested variables": b'{"query": "{ __typename }", "variables": {"a": ' + b"[" * 5000 + b"]" * 5000 + b"}}",
    "invalid UTF-8 in query": b'{"query": "{ products(search: \\"\xff\xfe\\") { totalCount } }"}',
    "invalid UTF-8 in variables": json.dumps({"query": SEARCH}).encode()[:-1] + b', "variables": {"s": "\xc3\x28"}}',
    "5,000-digit integer variable": b'{"query": "query($n: Int) { products(first: $n) { totalCount } }", '
    b'"variables": {"n": ' + b"9" * 5000 + b"}}",
    "5,000-digit integer literal": b'{"query": "{ products(first: ' + b"9" * 5000 + b') { totalCount } }"}',
    "NaN": b'{"query": "query($n: Float) { __typename }", "variables": {"n": NaN}}',
    "query not a string": b'{"query": 5}',
    "variables not an object": b'{"query": "{ __typename }", "variables": [1]}',
    "operationName not a string": b'{"query": "{ __typename }", "operationName": 3}',
    "deep document": b'{"query": "' + b"{a" * 3000 + b"}" * 3000 + b'"}',
    "deep list literal": b'{"query": "{ products(search: ' + b"[" * 3000 + b"]" * 3000 + b') { totalCount } }"}',
    "not JSON": b'{"query": ',
}


def _assert_bad_request(status: int, body: dict) -> None:
    assert status == 400, body
    assert body["data"] is None and body["errors"][0]["extensions"]["code"] == "BAD_REQUEST", body


@pytest.mark.parametrize("name", BAD_BODIES)
async def test_bad_body_is_a_bad_request(gw: Gateway, name: str) -> None:
    headers = {**gw.headers(), "content-type": "application/json"}
    resp = await gw.client.post("/graphql", content=BAD_BODIES[name], headers=headers)
    _assert_bad_request(resp.status_code, resp.json())
    assert "sys." not in resp.text and "Traceback" not in resp.text


async def test_bad_get_requests(gw: Gateway) -> None:
    deep = {"query": SEARCH, "variables": '{"s": ' + "[" * 5000 + "]" * 5000 + "}"}
    resp = await gw.client.get("/graphql", params=deep, headers=gw.headers())
    _assert_bad_request(resp.status_code, resp.json())
    invalid_utf8 = "/graphql?query=%7B%20products(search%3A%22%FF%22)%7BtotalCount%7D%7D"
    resp = await gw.client.get(invalid_utf8, headers=gw.headers())
    _assert_bad_request(resp.status_code, resp.json())
    surrogate = {"query": SEARCH, "variables": '{"s": "\\ud800"}'}
    resp = await gw.client.get("/graphql", params=surrogate, headers=gw.headers())
    _assert_bad_request(resp.status_code, resp.json())


async def test_lone_surrogates_refused_naming_the_field(gw: Gateway) -> None:
    buyer = await gw.as_user("buyer@acme.example")
    draft = (await gw.data(CREATE, {"input": {}}, buyer))["createDraftOrder"]["draftOrder"]
    cases = [
        (SEARCH, {"s": "a\ud800"}, ["variables", "s"]),
        (CREATE, {"input": {"notes": "x\udfff"}}, ["variables", "input", "notes"]),
        (UPDATE, {"id": draft["id"], "input": {"metadata": [{"key": "k", "value": "\ud800"}]}}, None),
    ]
    for query, variables, field in cases:
        body = json.dumps({"query": query, "variables": variables})  # ensure_ascii: "\ud800" escapes
        resp = await gw.client.post("/graphql", content=body, headers={**buyer, "content-type": "application/json"})
        _assert_bad_request(resp.status_code, resp.json())
        error = resp.json()["errors"][0]
        assert "surrogate" in error["message"]
        if field:
            assert error["extensions"]["field"] == field and ".".join(field) in error["message"]
    # a raw surrogate in the document text, and a surrogate escape inside a GraphQL string
    for query in ('{ products(search: "\ud800") { totalCount } }', '{ products(search: "\\ud800") { totalCount } }'):
        resp = await gw.client.post(
            "/graphql", content=json.dumps({"query": query}), headers={**buyer, "content-type": "application/json"}
        )
        assert resp.status_code in (200, 400) and resp.json()["errors"][0]["extensions"]["code"] == "BAD_REQUEST"
    # a surrogate pair is ordinary text
    ok = await gw.post(SEARCH, {"s": "\U0001f600"}, buyer)
    assert ok.status_code == 200 and "errors" not in ok.json()


async def _raw_exchange(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, host: str, body: bytes) -> dict:
    head = (
        f"POST /graphql HTTP/1.1\r\nHost: {host}\r\ncontent-type: application/json\r\n"
        f"dj-api-key: {API_KEY}\r\ndj-client: ACCOUNT\r\ncontent-length: {len(body)}\r\n\r\n"
    )
    writer.write(head.encode() + body)
    await writer.drain()
    status_line = await reader.readline()
    headers = {}
    while (line := await reader.readline()) not in (b"\r\n", b""):
        key, _, value = line.decode().partition(":")
        headers[key.strip().lower()] = value.strip()
    payload = await reader.readexactly(int(headers["content-length"]))
    assert headers.get("connection") != "close", headers
    return {"status": int(status_line.split()[1]), "body": json.loads(payload)}


@pytest.mark.slow
async def test_connection_stays_usable_over_tcp(database_url: str) -> None:
    """Every bad body, then a good query, on one keep-alive connection to a real server."""
    with gateways(database_url) as (url,):
        host = urlsplit(url).netloc
        reader, writer = await asyncio.open_connection(*host.split(":"))
        try:
            for body in BAD_BODIES.values():
                answer = await _raw_exchange(reader, writer, host, body)
                _assert_bad_request(answer["status"], answer["body"])
            good = await _raw_exchange(reader, writer, host, b'{"query": "{ viewer { currency } }"}')
            assert good == {"status": 200, "body": {"data": {"viewer": {"currency": "EUR"}}}}
        finally:
            writer.close()
