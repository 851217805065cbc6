"""Header rules of SPEC section 3, over HTTP against the ASGI app."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import update

from app.models import AuthToken, utcnow
from tests.support.gateway import OTHER_KEY, Gateway

VIEWER = "{ viewer { clientType user { email } account { externalId } store { externalId } storeView { externalId } } }"


def _code(resp) -> str:  # noqa: ANN001
    return resp.json()["errors"][0]["extensions"]["code"]


async def test_missing_api_key_is_401(gw: Gateway) -> None:
    resp = await gw.post(VIEWER, headers=gw.headers(key=None))
    assert resp.status_code == 401
    assert _code(resp) == "UNAUTHENTICATED"


async def test_unknown_api_key_is_401(gw: Gateway) -> None:
    resp = await gw.post(VIEWER, headers=gw.headers(key="no-such-key"))
    assert resp.status_code == 401
    assert _code(resp) == "UNAUTHENTICATED"


async def test_client_must_be_account_or_operator(gw: Gateway) -> None:
    for client in (None, "", "ADMIN", "account-ish"):
        resp = await gw.post(VIEWER, headers=gw.headers(client=client))
        assert resp.status_code == 401, client
        assert _code(resp) == "UNAUTHENTICATED"
    # case does not matter for the accepted values
    assert (await gw.post(VIEWER, headers=gw.headers(client="account"))).status_code == 200


async def test_anonymous_viewer_gets_default_store(gw: Gateway) -> None:
    data = await gw.data(VIEWER)
    assert data["viewer"] == {
        "clientType": "ACCOUNT",
        "user": None,
        "account": None,
        "store": {"externalId": "main"},
        "storeView": None,
    }


async def test_token_bearer_and_legacy_scheme(gw: Gateway) -> None:
    token = await gw.token("buyer@acme.example")
    for scheme in ("Bearer", "Token", "bearer"):
        data = await gw.data(VIEWER, headers=gw.headers(token, scheme=scheme, store_view="main-en"))
        assert data["viewer"]["user"]["email"] == "buyer@acme.example"
        assert data["viewer"]["account"]["externalId"] == "ACME"
        assert data["viewer"]["storeView"] == {"externalId": "main-en"}


async def test_bad_token_is_401(gw: Gateway) -> None:
    for value in ("Bearer nope", "Basic abc", "Bearer", "Bearer a b"):
        resp = await gw.post(VIEWER, headers={**gw.headers(), "Authorization": value})
        assert resp.status_code == 401, value
        assert _code(resp) == "UNAUTHENTICATED"


async def test_wrong_password_is_a_payload_error(gw: Gateway) -> None:
    body = await gw.data(
        'mutation { createToken(email: "buyer@acme.example", password: "wrong") { token errors { code } } }'
    )
    assert body["createToken"] == {"token": None, "errors": [{"code": "INVALID_CREDENTIALS"}]}


async def test_expired_token_is_401(gw: Gateway) -> None:
    token = await gw.token("buyer@acme.example")
    async with gw.session_factory() as s, s.begin():
        await s.execute(update(AuthToken).values(expires_at=utcnow() - timedelta(seconds=1)))
    resp = await gw.post(VIEWER, headers=gw.headers(token))
    assert resp.status_code == 401
    assert "expired" in resp.json()["errors"][0]["message"]


async def test_revoked_token_is_401(gw: Gateway) -> None:
    token = await gw.token("buyer@acme.example")
    body = await gw.data("mutation { revokeToken { revoked errors { code } } }", headers=gw.headers(token))
    assert body["revokeToken"] == {"revoked": True, "errors": []}
    resp = await gw.post(VIEWER, headers=gw.headers(token))
    assert resp.status_code == 401
    assert _code(resp) == "UNAUTHENTICATED"


async def test_token_of_other_tenant_is_refused(gw: Gateway) -> None:
    initech = await gw.token("buyer@initech.example", key=OTHER_KEY)
    assert (await gw.post(VIEWER, headers=gw.headers(initech, key=OTHER_KEY))).status_code == 200
    resp = await gw.post(VIEWER, headers=gw.headers(initech))  # demo tenant's key
    assert resp.status_code == 401
    assert _code(resp) == "UNAUTHENTICATED"
    # and a demo user cannot sign in under the other tenant's key
    body = await gw.data(
        'mutation { createToken(email: "buyer@acme.example", password: "demo-password") { errors { code } } }',
        headers=gw.headers(key=OTHER_KEY),
    )
    assert body["createToken"]["errors"] == [{"code": "INVALID_CREDENTIALS"}]


async def test_store_not_attached_is_forbidden(gw: Gateway) -> None:
    token = await gw.token("buyer@acme.example")
    for store in ("outlet", "no-such-store"):
        resp = await gw.post(VIEWER, headers=gw.headers(token, store=store))
        assert resp.status_code == 403, store
        assert _code(resp) == "FORBIDDEN"


async def test_store_view_of_another_store_is_forbidden(gw: Gateway) -> None:
    resp = await gw.post(VIEWER, headers=gw.headers(store_view="nope"))
    assert resp.status_code == 403
    assert _code(resp) == "FORBIDDEN"


async def test_foreign_customer_account_is_forbidden(gw: Gateway) -> None:
    token = await gw.token("buyer@acme.example")
    ok = await gw.data(VIEWER, headers=gw.headers(token, account="ACME"))
    assert ok["viewer"]["account"]["externalId"] == "ACME"
    for account in ("GLOBEX", "INITECH", "nonexistent"):
        resp = await gw.post(VIEWER, headers=gw.headers(token, account=account))
        assert resp.status_code == 403, account
        assert _code(resp) == "FORBIDDEN"


async def test_operator_client_rules(gw: Gateway) -> None:
    operator = await gw.token("operator@demo.example")
    data = await gw.data(VIEWER, headers=gw.headers(operator, client="OPERATOR"))
    assert data["viewer"]["clientType"] == "OPERATOR"
    assert data["viewer"]["account"] is None
    # an operator token in buyer scope, and a buyer token in operator scope, are refused
    assert (await gw.post(VIEWER, headers=gw.headers(operator))).status_code == 403
    buyer = await gw.token("buyer@acme.example")
    assert (await gw.post(VIEWER, headers=gw.headers(buyer, client="OPERATOR"))).status_code == 403
    # an operator is bound to its stores
    resp = await gw.post(VIEWER, headers=gw.headers(operator, client="OPERATOR", store="outlet"))
    assert resp.status_code == 403


async def test_create_token_rejects_huge_and_empty_input(gw: Gateway) -> None:
    q = "mutation($e: String!, $p: String!) { createToken(email: $e, password: $p) { token errors { code field } } }"
    for email, password, field in (
        ("x" * 100_000 + "@a.b", "demo-password", ["email"]),
        ("", "demo-password", ["email"]),
        ("buyer@acme.example", "p" * 100_000, ["password"]),
    ):
        body = await gw.data(q, {"e": email, "p": password})
        assert body["createToken"]["token"] is None
        assert body["createToken"]["errors"] == [{"code": "INVALID_INPUT", "field": field}]
    # a wrong type is a request error, not a server error
    resp = await gw.post(q, {"e": 12, "p": None})
    assert resp.status_code == 200
    assert resp.json()["errors"][0]["extensions"]["code"] == "BAD_REQUEST"


async def test_health_and_graphiql(gw: Gateway) -> None:
    resp = await gw.client.get("/health")
    assert resp.json() == {"status": "ok", "database": "ok"}
    page = await gw.client.get("/graphql", headers={"accept": "text/html"})
    assert page.status_code == 200 and "graphiql" in page.text.lower()


async def test_viewer_account_addresses(gw: Gateway) -> None:
    token = await gw.token("buyer@acme.example")
    q = "{ viewer { account { addresses { externalId isShipping isBilling } } user { accounts { externalId } } } }"
    data = await gw.data(q, headers=gw.headers(token))
    assert data["viewer"]["account"]["addresses"] == [
        {"externalId": "ACME-HQ", "isShipping": True, "isBilling": True},
        {"externalId": "ACME-WH", "isShipping": True, "isBilling": False},
    ]
    assert data["viewer"]["user"]["accounts"] == [{"externalId": "ACME"}]
