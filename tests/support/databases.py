"""Fresh demo databases for tests: a template built once per process (per pytest-xdist worker) and copied per
test (a file copy on SQLite, CREATE DATABASE ... TEMPLATE on PostgreSQL).

PostgreSQL tests skip with a visible reason when no server answers at GATEWAY_TEST_PG (default
postgresql://postgres@127.0.0.1:5432/test), unless GATEWAY_TEST_REQUIRE_PG=1 (CI), where they fail.
"""

from __future__ import annotations

import asyncio
import os
import uuid

import pytest

from app.cli import DEMO_FILE
from app.db import make_engine, make_session_factory
from app.migrate import upgrade
from app.services.importer import import_file
from app.settings import Settings

PG_URL = os.environ.get("GATEWAY_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")
REQUIRE_PG = os.environ.get("GATEWAY_TEST_REQUIRE_PG") == "1"
# PgBouncer in transaction mode in front of that server (scripts/pgbouncer): tests/test_pooler.py uses it, and
# with GATEWAY_TEST_PG_THROUGH_POOLER=1 (and GATEWAY_DB_POOLER=pgbouncer) every PostgreSQL test's gateway
# reaches its database through it (`gateway_url`); the databases are still made on the server directly.
POOLER_URL = os.environ.get("GATEWAY_TEST_PG_POOLER_URL")
THROUGH_POOLER = os.environ.get("GATEWAY_TEST_PG_THROUGH_POOLER") == "1"
# Per process, so each xdist worker (a process of its own) has its own template and databases; the worker's
# name is kept in the database names to tell them apart when one is left behind.
RUN_ID = uuid.uuid4().hex[:8] + os.environ.get("PYTEST_XDIST_WORKER", "")

_pg_state: dict[str, object] = {}


async def build(url: str) -> None:
    """Migrate the database at `url` and load the demo data."""
    engine = make_engine(Settings(database_url=url))
    try:
        await upgrade(engine)
        await import_file(make_session_factory(engine), DEMO_FILE)
    finally:
        await engine.dispose()


async def pg_admin(connect_timeout: float = 60):  # noqa: ANN201 - an asyncpg connection to the server's admin database
    """The first connection of a run says within 3 s whether a server answers; later ones wait longer, as a
    loaded machine (parallel workers, processes the tests start) can take seconds to accept a connection."""
    import asyncpg

    return await asyncpg.connect(PG_URL, timeout=connect_timeout)


def pg_url(dbname: str) -> str:
    base = PG_URL.rsplit("/", 1)[0].replace("postgresql://", "postgresql+asyncpg://", 1)
    return f"{base}/{dbname}"


def gateway_url(dbname: str) -> str:
    """The URL a test's gateway uses for the database `dbname`: the server's, or PgBouncer's when the run goes
    through it (GATEWAY_TEST_PG_THROUGH_POOLER=1)."""
    if not THROUGH_POOLER:
        return pg_url(dbname)
    if not POOLER_URL:
        pytest.fail("GATEWAY_TEST_PG_THROUGH_POOLER=1 wants GATEWAY_TEST_PG_POOLER_URL (scripts/pgbouncer start)")
    base = POOLER_URL.rsplit("/", 1)[0].replace("postgresql://", "postgresql+asyncpg://", 1)
    return f"{base}/{dbname}"


def skip_pg(reason: str) -> None:
    if REQUIRE_PG:
        pytest.fail(reason)
    pytest.skip(reason)


async def pg_template() -> str:
    """Name of this process's PostgreSQL template database, or raises pytest.skip."""
    if "template" in _pg_state:
        return _pg_state["template"]  # type: ignore[return-value]
    if "error" in _pg_state:
        skip_pg(str(_pg_state["error"]))
    try:
        conn = await pg_admin(connect_timeout=3)
    except (TimeoutError, OSError, Exception) as exc:  # noqa: BLE001 - any failure means no server
        _pg_state["error"] = f"PostgreSQL unreachable at {PG_URL}: {exc}"
        skip_pg(str(_pg_state["error"]))
    name = f"gw_tpl_{RUN_ID}"
    try:
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    await build(pg_url(name))
    _pg_state["template"] = name
    return name


async def pg_copy() -> str:
    """A new PostgreSQL database copied from the template; returns its name."""
    template_name = await pg_template()
    name = f"gw_{RUN_ID}_{uuid.uuid4().hex[:10]}"
    conn = await pg_admin()
    try:
        await conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template_name}"')
    finally:
        await conn.close()
    return name


async def pg_drop(name: str) -> None:
    conn = await pg_admin()
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await conn.close()


def built_template() -> str | None:
    """The template this process built, if any (dropped at the end of the session)."""
    return _pg_state.get("template")  # type: ignore[return-value]


class PgDatabases:
    """Per-test PostgreSQL databases with the waiting hidden: while a test runs, the next test's copy is made
    and the previous one dropped in the background (on the session's event loop). About 0.25 s per test
    otherwise spent waiting on CREATE DATABASE and DROP DATABASE."""

    def __init__(self) -> None:
        self._next: asyncio.Task[str] | None = None
        self._drops: set[asyncio.Task[None]] = set()

    async def take(self) -> str:
        ready, self._next = self._next, None
        try:
            name = await ready if ready is not None else None
        except Exception:  # noqa: BLE001 - a copy made in the background failed: made again below, in the open
            name = None
        if name is None:
            name = await pg_copy()  # raises pytest's skip (or failure) when no server answers
        self._next = asyncio.create_task(pg_copy())
        return name

    def release(self, name: str) -> None:
        task = asyncio.create_task(pg_drop(name))
        self._drops.add(task)
        task.add_done_callback(self._dropped)

    def _dropped(self, task: asyncio.Task[None]) -> None:
        self._drops.discard(task)
        if not task.cancelled():
            task.exception()  # retrieved: a database left behind is dropped by close()

    async def close(self) -> None:
        """Drop what is left: the copy made for a test that never came, the drops still running, and any of
        this process's databases a failed drop left behind."""
        if self._next is not None:
            try:
                self.release(await self._next)
            except BaseException:  # noqa: BLE001 - no server: nothing was made
                pass
        await asyncio.gather(*self._drops, return_exceptions=True)
        if built_template() is None:
            return
        conn = await pg_admin()
        try:
            names = await conn.fetch("SELECT datname FROM pg_database WHERE datname LIKE $1", f"gw_{RUN_ID}_%")
        finally:
            await conn.close()
        for row in names:
            await pg_drop(row["datname"])
