"""The suite's one fixture layer: every fixture shared by test modules is defined here, once (a module keeps
only fixtures no other module uses; tests/test_suite_shape.py fails on a name defined twice). Helpers that are
not fixtures live in tests/support/.

Every test gets a fresh database, migrated and loaded with the demo data, on SQLite and on PostgreSQL: a
template built once per process (per pytest-xdist worker) is copied per test (tests/support/databases.py).

- `database_url`: the per-test database, parametrized over both (node ids end in [sqlite] / [postgresql]).
- `gw`: the real ASGI app in process, called over httpx; `acme`, `globex`, `operator`: signed-in headers on it;
  `offers`: SKU -> offer id as ACME's buyer sees the catalog.
- `live`: the app served over real TCP in the test's event loop (the sandbox payment service calls it back);
  `live_acme`, `live_offers`: the same headers and offers, obtained from `live`; `live_refunds`: the same, its
  sandbox settling refunds within 0.1 s.
- `db_session`, `caller_for`: service-level tests without HTTP: a session on the per-test database and the
  `Caller` of a demo user as the gateway resolves it.
"""

from __future__ import annotations

import asyncio
import logging
import shutil
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from app.asgi import create_app
from app.db import make_engine, make_session_factory
from app.services.common.caller import Caller
from app.settings import Settings
from tests.support import databases
from tests.support.documents import offer_ids
from tests.support.gateway import SECRETS, TOKENS_ISSUED, Gateway
from tests.support.logs import LOG_BUFFER, LogBuffer
from tests.support.passwords import remember_verifications
from tests.support.payments import served
from tests.support.users import caller_for as _caller_for
from tests.support.users import gateway_caller

# In-process gateways answer a demo sign-in's argon2 verification from memory (tests/support/passwords.py).
remember_verifications()

# --- databases -------------------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
async def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.db"
    await databases.build(f"sqlite+aiosqlite:///{path}")
    return path


@pytest.fixture(scope="session")
async def pg_databases() -> AsyncIterator[databases.PgDatabases]:
    made = databases.PgDatabases()
    yield made
    await made.close()


@pytest.fixture(params=["sqlite", "postgresql"])
async def database_url(
    request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: Path, pg_databases: databases.PgDatabases
) -> AsyncIterator[str]:
    if request.param == "sqlite":
        path = tmp_path / "gateway.db"
        shutil.copyfile(sqlite_template, path)
        yield f"sqlite+aiosqlite:///{path}"
        return
    name = await pg_databases.take()
    yield databases.gateway_url(name)
    pg_databases.release(name)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Drop this process's PostgreSQL template (each xdist worker drops its own; the controller has none)."""
    name = databases.built_template()
    if name:
        asyncio.run(databases.pg_drop(name))


# --- service level (no HTTP) -----------------------------------------------------------------------------------


@pytest.fixture
async def db_session(database_url: str) -> AsyncIterator[AsyncSession]:
    """An `AsyncSession` on the test's database (demo data loaded), as a service receives it. Per test, like the
    database it reads; the test commits (or uses `session.begin()`) when the rule it checks needs a commit."""
    engine = make_engine(Settings(database_url=database_url, env="test"))
    try:
        async with make_session_factory(engine)() as session:
            yield session
    finally:
        await engine.dispose()


@pytest.fixture
def caller_for(db_session: AsyncSession) -> Callable[..., Awaitable[Caller]]:
    """`await caller_for("buyer@acme.example")` (or `client="OPERATOR"`, `dj_store=...`): the `Caller` of a demo
    user, resolved by the gateway's own request-context rules on `db_session`."""

    async def build(email: str, **kw: str) -> Caller:
        return await _caller_for(db_session, email, **kw)

    return build


# --- the gateway over HTTP -------------------------------------------------------------------------------------


@pytest.fixture
async def gw(database_url: str) -> AsyncIterator[Gateway]:
    settings = Settings(database_url=database_url, env="test")
    app = create_app(settings)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://gateway.test", timeout=60) as client:
        yield Gateway(app=app, client=client, settings=settings)
    await app.state.engine.dispose()


@pytest.fixture
async def acme(gw: Gateway) -> dict:
    return await gw.as_user("buyer@acme.example")


@pytest.fixture
async def globex(gw: Gateway) -> dict:
    return await gw.as_user("buyer@globex.example")


@pytest.fixture
async def operator(gw: Gateway) -> dict:
    return await gw.as_user("operator@demo.example", client="OPERATOR")


@pytest.fixture
async def offers(gw: Gateway, acme: dict) -> dict[str, str]:
    return await offer_ids(gw, acme)


@pytest.fixture
async def acme_caller(gw: Gateway) -> Caller:
    """The ACME buyer's `Caller` on the gateway's own database (committed), for tests that set up over HTTP
    and then call a service directly."""
    return await gateway_caller(gw, "buyer@acme.example")


@pytest.fixture
async def live(database_url: str) -> AsyncIterator[Gateway]:
    async with served(database_url) as gateway:
        yield gateway


@pytest.fixture
async def live_refunds(database_url: str) -> AsyncIterator[Gateway]:
    """`live` whose sandbox settles a refund 0.1 s after it is asked for (its signed callback over TCP)."""
    async with served(database_url, sandbox_refund_delay_seconds=0.1) as gateway:
        yield gateway


@pytest.fixture
async def live_acme(live: Gateway) -> dict:
    return await live.as_user("buyer@acme.example")


@pytest.fixture
async def live_offers(live: Gateway, live_acme: dict) -> dict[str, str]:
    return await offer_ids(live, live_acme)


@pytest.fixture
async def live_operator(live: Gateway) -> dict:
    return await live.as_user("operator@demo.example", client="OPERATOR")


# --- markers ---------------------------------------------------------------------------------------------------

# Tests that start `serve` processes, in modules other sessions are editing right now (marked here rather than
# with decorators there, to keep merging easy; move them to @pytest.mark.slow when those files are free).
_SLOW_ELSEWHERE = {
    "test_processes_observability.py": {"test_metrics_sum_two_worker_processes"},
    "test_import.py": {"test_cli_import_refuses_a_bad_file", "test_serve_demo_answers_the_readme_query"},
}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if getattr(item, "originalname", item.name) in _SLOW_ELSEWHERE.get(item.path.name, ()):
            item.add_marker(pytest.mark.slow)
    # Slow tests first (otherwise in collection order): under xdist the long ones start early and the short ones
    # fill the gaps at the end, instead of one worker finishing a long test while the other waits.
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)


# --- the whole run ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="session", autouse=True)
def no_secrets_in_logs() -> Iterator[LogBuffer]:
    """Scans all log output of the whole test run (of this process: each xdist worker scans its own lines for
    the secrets it handled) for those secrets."""
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
    """Say plainly how many tests ran on each database (CI must show the PostgreSQL ones ran). Under xdist
    this runs on the controller, whose stats hold every worker's reports."""
    for db in ("sqlite", "postgresql"):
        counts = {
            outcome: sum(1 for r in terminalreporter.stats.get(outcome, []) if f"[{db}" in getattr(r, "nodeid", ""))
            for outcome in ("passed", "failed", "skipped", "error")
        }
        terminalreporter.write_line(
            f"{db}: {counts['passed']} passed, {counts['failed']} failed, {counts['error']} errors, "
            f"{counts['skipped']} skipped"
        )
