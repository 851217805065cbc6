"""The real ASGI app over HTTP (in process or served), with helpers for headers and GraphQL calls, and the
demo credentials every test uses."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

import httpx
from sqlalchemy import event

from app.settings import Settings

API_KEY = "demo-tenant-key"
OTHER_KEY = "other-tenant-key"
PASSWORD = "demo-password"
# Every secret the run handles (API keys, the password, each issued token, webhook secrets): none may appear in
# any log line of the whole run (see `no_secrets_in_logs` in tests/conftest.py). Per process: under
# pytest-xdist each worker scans its own log lines for the secrets it handled.
SECRETS: set[str] = {API_KEY, OTHER_KEY, PASSWORD}
TOKENS_ISSUED: list[str] = []  # a run that signed in talked to a gateway: it must have logged


class StatementCounter:
    def __init__(self) -> None:
        self.count = 0
        self.statements: list[str] = []

    def __call__(self, _conn, _cursor, statement, *_args) -> None:  # noqa: ANN001
        self.count += 1
        self.statements.append(statement)


@dataclass
class Gateway:
    """The real ASGI app over HTTP, with helpers for headers and GraphQL calls."""

    app: object
    client: httpx.AsyncClient
    settings: Settings

    @property
    def engine(self):  # noqa: ANN201
        return self.app.state.engine

    @property
    def session_factory(self):  # noqa: ANN201
        return self.app.state.session_factory

    def headers(
        self,
        token: str | None = None,
        *,
        key: str | None = API_KEY,
        client: str | None = "ACCOUNT",
        store: str | None = None,
        store_view: str | None = None,
        account: str | None = None,
        scheme: str = "Bearer",
    ) -> dict[str, str]:
        h: dict[str, str] = {}
        if key is not None:
            h["dj-api-key"] = key
        if client is not None:
            h["dj-client"] = client
        if token:
            h["Authorization"] = f"{scheme} {token}"
        if store:
            h["dj-store"] = store
        if store_view:
            h["dj-store-view"] = store_view
        if account:
            h["customer-account-id"] = account
        return h

    async def post(self, query: str, variables: dict | None = None, headers: dict | None = None) -> httpx.Response:
        return await self.client.post(
            "/graphql", json={"query": query, "variables": variables or {}}, headers=headers or self.headers()
        )

    async def gql(self, query: str, variables: dict | None = None, headers: dict | None = None) -> dict:
        """POST and return the JSON body; fails on a non-200 status."""
        resp = await self.post(query, variables, headers)
        assert resp.status_code == 200, resp.text
        return resp.json()

    async def data(self, query: str, variables: dict | None = None, headers: dict | None = None) -> dict:
        """POST and return `data`, asserting there is no top-level error."""
        body = await self.gql(query, variables, headers)
        assert not body.get("errors"), body["errors"]
        return body["data"]

    async def token(self, email: str, *, key: str = API_KEY, password: str = PASSWORD) -> str:
        body = await self.data(
            "mutation($e: String!, $p: String!) { createToken(email: $e, password: $p) "
            "{ token errors { code message } } }",
            {"e": email, "p": password},
            self.headers(key=key),
        )
        assert body["createToken"]["errors"] == [], body
        SECRETS.add(body["createToken"]["token"])
        TOKENS_ISSUED.append(body["createToken"]["token"])
        return body["createToken"]["token"]

    async def as_user(self, email: str, *, key: str = API_KEY, client: str = "ACCOUNT", **kw) -> dict[str, str]:  # noqa: ANN003
        return self.headers(await self.token(email, key=key), key=key, client=client, **kw)

    def count_statements(self) -> StatementCounter:
        counter = StatementCounter()
        event.listen(self.engine.sync_engine, "before_cursor_execute", counter)
        return counter

    def stop_counting(self, counter: StatementCounter) -> None:
        event.remove(self.engine.sync_engine, "before_cursor_execute", counter)


@asynccontextmanager
async def app_client(gw: Gateway, **settings: object) -> AsyncIterator[httpx.AsyncClient]:
    """An httpx client on a new app over the gateway's database, built with other settings (env="test"
    unless given), in process."""
    from app.asgi import create_app

    app = create_app(Settings(database_url=gw.settings.database_url, **{"env": "test", **settings}))
    try:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://gateway.test") as c:
            yield c
    finally:
        await app.state.engine.dispose()
