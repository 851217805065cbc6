"""Test harness: every test gets a fresh database, migrated and loaded with the demo data, on SQLite and
on PostgreSQL. A template database is built once per run and copied per test (a file copy on SQLite,
CREATE DATABASE ... TEMPLATE on PostgreSQL), so tests stay fast while never sharing state.

PostgreSQL tests skip with a visible reason when no server answers at GATEWAY_TEST_PG (default
postgresql://postgres@127.0.0.1:5432/test), unless GATEWAY_TEST_REQUIRE_PG=1 (CI), where they fail.
"""

from __future__ import annotations

import asyncio
import io
import logging
import os
import shutil
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from sqlalchemy import event

from app.asgi import create_app
from app.cli import DEMO_FILE
from app.db import make_engine, make_session_factory
from app.migrate import upgrade
from app.observability.logging import formatter
from app.services.importer import import_file
from app.settings import Settings

PG_URL = os.environ.get("GATEWAY_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")
REQUIRE_PG = os.environ.get("GATEWAY_TEST_REQUIRE_PG") == "1"
RUN_ID = uuid.uuid4().hex[:8]

API_KEY = "demo-tenant-key"
OTHER_KEY = "other-tenant-key"
PASSWORD = "demo-password"
# Every secret the run handles (API keys, the password, each issued token, webhook secrets): none may appear in
# any log line of the whole run (see `no_secrets_in_logs`).
SECRETS: set[str] = {API_KEY, OTHER_KEY, PASSWORD}
TOKENS_ISSUED: list[str] = []  # a run that signed in talked to a gateway: it must have logged


async def _build(url: str) -> None:
    engine = make_engine(Settings(database_url=url))
    try:
        await upgrade(engine)
        await import_file(make_session_factory(engine), DEMO_FILE)
    finally:
        await engine.dispose()


async def _pg_admin():
    import asyncpg

    return await asyncpg.connect(PG_URL, timeout=3)


_pg_state: dict[str, object] = {}


async def _pg_template() -> str:
    """Name of the PostgreSQL template database, or raises pytest.skip."""
    if "template" in _pg_state:
        return _pg_state["template"]  # type: ignore[return-value]
    if "error" in _pg_state:
        _skip_pg(str(_pg_state["error"]))
    try:
        conn = await _pg_admin()
    except (TimeoutError, OSError, Exception) as exc:  # noqa: BLE001 - any failure means no server
        _pg_state["error"] = f"PostgreSQL unreachable at {PG_URL}: {exc}"
        _skip_pg(str(_pg_state["error"]))
    name = f"gw_tpl_{RUN_ID}"
    try:
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    await _build(_pg_url(name))
    _pg_state["template"] = name
    return name


def _skip_pg(reason: str) -> None:
    if REQUIRE_PG:
        pytest.fail(reason)
    pytest.skip(reason)


def _pg_url(dbname: str) -> str:
    base = PG_URL.rsplit("/", 1)[0].replace("postgresql://", "postgresql+asyncpg://", 1)
    return f"{base}/{dbname}"


@pytest.fixture(scope="session")
async def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.db"
    await _build(f"sqlite+aiosqlite:///{path}")
    return path


@pytest.fixture(params=["sqlite", "postgresql"])
async def database_url(request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: Path) -> AsyncIterator[str]:
    if request.param == "sqlite":
        path = tmp_path / "gateway.db"
        shutil.copyfile(sqlite_template, path)
        yield f"sqlite+aiosqlite:///{path}"
        return
    template_name = await _pg_template()
    name = f"gw_{RUN_ID}_{uuid.uuid4().hex[:10]}"
    conn = await _pg_admin()
    try:
        await conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template_name}"')
    finally:
        await conn.close()
    yield _pg_url(name)
    conn = await _pg_admin()
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await conn.close()


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    name = _pg_state.get("template")
    if not name:
        return

    async def drop() -> None:
        conn = await _pg_admin()
        try:
            await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await conn.close()

    asyncio.run(drop())


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


@pytest.fixture
async def gw(database_url: str) -> AsyncIterator[Gateway]:
    settings = Settings(database_url=database_url, env="test")
    app = create_app(settings)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://gateway.test", timeout=60) as client:
        yield Gateway(app=app, client=client, settings=settings)
    await app.state.engine.dispose()


class LogBuffer(logging.Handler):
    """Every log line of the run, rendered by the gateway's own JSON formatter (what production writes)."""

    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.stream = io.StringIO()
        self.setFormatter(formatter(Settings(env="production")))

    def emit(self, record: logging.LogRecord) -> None:
        self.stream.write(self.format(record) + "\n")

    def text(self) -> str:
        return self.stream.getvalue()


LOG_BUFFER = LogBuffer()


@pytest.fixture(scope="session", autouse=True)
def no_secrets_in_logs() -> Iterator[LogBuffer]:
    """Scans all log output of the whole test run for the secrets it handled."""
    root = logging.getLogger()
    root.addHandler(LOG_BUFFER)
    yield LOG_BUFFER
    root.removeHandler(LOG_BUFFER)
    text = LOG_BUFFER.text()
    leaked = sorted(s for s in SECRETS if s in text)
    # A run that handled secrets (signed in) must have logged: else the scan would prove nothing.
    assert text or not TOKENS_ISSUED, "no log line was captured: the scan would prove nothing"
    assert not leaked, f"secrets in the logs: {[s[:6] + '...' for s in leaked]}"


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:  # noqa: ANN001
    """Say plainly how many tests ran on each database (CI must show the PostgreSQL ones ran)."""
    for db in ("sqlite", "postgresql"):
        counts = {
            outcome: sum(1 for r in terminalreporter.stats.get(outcome, []) if f"[{db}" in getattr(r, "nodeid", ""))
            for outcome in ("passed", "failed", "skipped", "error")
        }
        terminalreporter.write_line(
            f"{db}: {counts['passed']} passed, {counts['failed']} failed, {counts['error']} errors, "
            f"{counts['skipped']} skipped"
        )
