"""PostgreSQL refuses NUL characters in text; such input must be a clear error, never INTERNAL."""

from __future__ import annotations

from tests.support.documents import CREATE, UPDATE
from tests.support.gateway import Gateway

NUL = "a\u0000b"


async def test_nul_characters_never_reach_the_database(gw: Gateway) -> None:
    buyer = await gw.as_user("buyer@acme.example")
    cases = [
        ("query($s: String) { products(search: $s) { totalCount } }", {"s": NUL}),
        ("query($id: ID!) { product(id: $id) { id } }", {"id": NUL}),
        ("query($id: ID!) { draftOrder(id: $id) { id } }", {"id": NUL}),
        ("query($id: ID!) { order(id: $id) { id } }", {"id": NUL}),
        ("query($f: OrderFilter) { orders(filter: $f) { totalCount } }", {"f": {"reference": NUL}}),
        ("mutation($e: String!) { createToken(email: $e, password: $e) { errors { code } } }", {"e": NUL + "@x.y"}),
        (CREATE, {"input": {"notes": NUL, "lines": [{"offerId": NUL, "quantity": 1}]}}),
    ]
    draft = (await gw.data(CREATE, {"input": {}}, buyer))["createDraftOrder"]["draftOrder"]
    cases.append((UPDATE, {"id": draft["id"], "input": {"customerReference": NUL}}))
    cases.append(('{ products(search: "x\\u0000") { totalCount } }', {}))
    for query, variables in cases:
        resp = await gw.post(query, variables, buyer)
        assert resp.status_code == 400, (query, resp.text)
        assert resp.json()["errors"][0]["extensions"]["code"] == "BAD_REQUEST"
        assert "NUL" in resp.json()["errors"][0]["message"]
    get = await gw.client.get("/graphql", params={"query": '{ product(id: "a\u0000") { id } }'}, headers=buyer)
    assert get.status_code == 400
    # an ordinary escape is fine
    ok = await gw.post('{ products(search: "\\u0041") { totalCount } }', {}, buyer)
    assert ok.status_code == 200 and "errors" not in ok.json()
