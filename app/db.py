"""Engine and session factory.

SQLite: WAL journal and a busy timeout so readers never block the writer, and write transactions
start with BEGIN IMMEDIATE (a deferred transaction that upgrades to a write lock fails at once with
SQLITE_BUSY, whatever the busy timeout). PostgreSQL: plain asyncpg with READ COMMITTED.

A GraphQL request checks out one connection for its whole life (`request_session`). PostgreSQL connections
are not pinged on every checkout (SQLAlchemy's `pool_pre_ping` would cost a round trip per request): only a
connection that sat idle in the pool longer than `GATEWAY_DB_PING_IDLE_SECONDS` is pinged, and replaced if
the ping fails. A connection that drops anyway surfaces as a `DBAPIError` with `connection_invalidated`
(`is_disconnect`); SQLAlchemy then invalidates the pool, so every connection older than the drop is
replaced at its next checkout, and the request context decides whether the work is retried (docs/security.md).
"""

from __future__ import annotations

import asyncio
import fcntl
import os
import time
import weakref
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager, nullcontext
from typing import TypeVar
from weakref import WeakKeyDictionary

from sqlalchemy import Engine, event
from sqlalchemy.exc import DBAPIError, DisconnectionError, OperationalError, SQLAlchemyError
from sqlalchemy.ext.asyncio import (
    AsyncConnection,
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from app.services.common.outcome import Outcome
from app.settings import Settings

T = TypeVar("T")

# Execution option that asks for a write transaction (BEGIN IMMEDIATE on SQLite).
WRITE = {"gateway_write": True}


def make_engine(settings: Settings, url: str | None = None) -> AsyncEngine:
    """The engine of GATEWAY_DATABASE_URL, or of `url` (a read replica, app/db_replicas.py) with the same
    settings."""
    if settings.is_sqlite:
        engine = create_async_engine(
            settings.database_url,
            connect_args={"timeout": settings.sqlite_busy_timeout_ms / 1000},
            pool_size=settings.db_pool_size,
            max_overflow=settings.db_pool_size,
        )
        _configure_sqlite(engine, settings)
        return engine
    engine = create_async_engine(
        url or settings.database_url,
        pool_size=settings.db_pool_size,
        max_overflow=settings.db_pool_size,
        connect_args=_pg_connect_args(settings),
    )
    _ping_when_idle(engine, settings.db_ping_idle_seconds)
    _connection_failures(engine)
    return engine


def _pg_connect_args(settings: Settings) -> dict[str, object]:
    """asyncpg's connect() arguments: a bounded wait for a new connection (asyncpg's own default is 60 s; with
    a multi-host URL the budget is shared by the hosts, tried in order)."""
    return {"timeout": settings.db_connect_timeout_seconds, **pooler_connect_args(settings)}


def pooler_connect_args(settings: Settings) -> dict[str, object]:
    """asyncpg behind a transaction-mode pooler (GATEWAY_DB_POOLER=pgbouncer). The pooler lends a server
    connection for one transaction only, so no prepared statement may outlive one: SQLAlchemy's per-connection
    statement cache and asyncpg's are off, and every statement is prepared unnamed (asyncpg then sends its Parse
    again with the Bind and Execute, in one message batch, within the transaction SQLAlchemy opened). Nothing
    named is left on the server's connections to collide with another client's or to pile up, so the pooler
    needs no DISCARD ALL between clients. The engine's own pool stays: its connections are to the pooler
    (cheap), the server's connections are the pooler's `default_pool_size` (docs/operations.md)."""
    if settings.db_pooler != "pgbouncer":
        return {}
    return {"prepared_statement_cache_size": 0, "statement_cache_size": 0, "prepared_statement_name_func": lambda: ""}


def _ping_when_idle(engine: AsyncEngine, idle_seconds: float) -> None:
    """Ping a pooled connection at checkout only when it sat idle longer than `idle_seconds` (the server or
    a proxy may have closed it meanwhile). A failed ping raises DisconnectionError, on which the pool
    discards the connection and checks out another one."""
    pool = engine.sync_engine.pool
    dialect = engine.sync_engine.dialect

    @event.listens_for(pool, "checkin")
    def _checked_in(_dbapi_conn, record) -> None:  # noqa: ANN001
        record.info["gateway_idle_since"] = time.monotonic()

    @event.listens_for(pool, "checkout")
    def _checked_out(dbapi_conn, record, _proxy) -> None:  # noqa: ANN001
        idle_since = record.info.pop("gateway_idle_since", None)
        if idle_since is None or time.monotonic() - idle_since <= idle_seconds:
            return  # fresh from connect, or used moments ago
        try:
            alive = dialect.do_ping(dbapi_conn)
        except Exception as exc:  # noqa: BLE001 - any failure means the connection is gone
            raise DisconnectionError("a pooled connection failed its ping") from exc
        if not alive:
            raise DisconnectionError("a pooled connection failed its ping")


def is_disconnect(exc: BaseException) -> bool:
    """Whether `exc` says the database connection dropped (killed backend, network, server restart), or that a
    new one could not be made (`_connection_failures`): the transaction it carried is gone, nothing of it was
    committed unless the drop interrupted the COMMIT."""
    return isinstance(exc, DBAPIError) and bool(exc.connection_invalidated)


def database_unreachable(exc: BaseException) -> bool:
    """For background loops (the webhook dispatcher, the payment sweep), whose only I/O besides the database is
    their own HTTP calls: a dropped connection, or a new one that cannot be made, whatever form the pool's
    connect attempt gives the error (the driver's own OSError, asyncpg's TargetServerAttributeNotMatched while
    a failover is under way). Such a fault is one log line and the next tick, never a traceback."""
    if isinstance(exc, DBAPIError):
        return bool(exc.connection_invalidated) or _cannot_connect(exc.orig)
    return _cannot_connect(exc)


# SQLSTATE classes and codes of a server that is not (or no longer) there for this connection: 08 connection
# exception, 57P01 admin shutdown, 57P02 crash shutdown, 57P03 cannot connect now (starting up, in recovery).
_GONE_STATES = ("08", "57P01", "57P02", "57P03")


def _cannot_connect(error: BaseException | None) -> bool:
    for _ in range(6):  # the driver's error, and what it was raised from
        if error is None:
            return False
        if isinstance(error, OSError):  # refused, unreachable, timed out
            return True
        if type(error).__name__ in ("TargetServerAttributeNotMatched", "ConnectionDoesNotExistError"):
            return True
        state = getattr(error, "sqlstate", None) or getattr(error, "pgcode", None)
        if isinstance(state, str) and state.startswith(_GONE_STATES):
            return True
        error = error.__cause__ or error.__context__
    return False


def _connection_failures(engine: AsyncEngine) -> None:
    """A new connection that cannot be made (the server is down, starting or shutting down, or, with a
    multi-host URL and `target_session_attrs=read-write`, no host accepts writes yet: a failover under way)
    counts as a dropped connection, so the request answers SERVICE_UNAVAILABLE (or retries) as after a drop,
    never INTERNAL. SQLAlchemy passes a refused TCP connection on as a bare OSError: it becomes an
    OperationalError marked as a disconnect."""

    @event.listens_for(engine.sync_engine, "handle_error")
    def _on_error(ctx) -> Exception | None:  # noqa: ANN001
        if ctx.is_disconnect or not _cannot_connect(ctx.original_exception):
            return None
        if ctx.sqlalchemy_exception is None:
            return OperationalError(None, None, ctx.original_exception, connection_invalidated=True)
        ctx.is_disconnect = True
        return None


def _configure_sqlite(engine: AsyncEngine, settings: Settings) -> None:
    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_conn, _record):  # noqa: ANN001
        # Let SQLAlchemy, not the driver, decide where transactions begin.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute(f"PRAGMA busy_timeout={int(settings.sqlite_busy_timeout_ms)}")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(conn):  # noqa: ANN001
        if conn.get_execution_options().get("gateway_write"):
            # One-shot: a request's connection lives across transactions, and its later read snapshots
            # must not take the write lock (execution options set on a Connection stay on it).
            conn.execution_options(gateway_write=False)
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            conn.exec_driver_sql("BEGIN")


# SQLite allows one writer at a time. Its own wait for the write lock (the busy handler) is a lottery: a
# waiter sleeps and retries, with growing sleeps, and whoever retries at the right moment wins, so under 16
# concurrent writers some wait 50 times longer than others. In front of BEGIN IMMEDIATE, writers therefore
# queue: first in this process's line (an asyncio.Lock wakes its waiters in order and lets no newcomer
# overtake them), then, for a database file, on an exclusive flock of a file beside it, which the kernel
# hands over the moment it is released, so the processes of `serve --workers N` take turns instead of
# sleeping through each other's commits. PostgreSQL needs no line: it locks rows, not the database.
class _WriteLine:
    def __init__(self, lock_path: str | None) -> None:
        self._turn = asyncio.Lock()  # this process (and event loop)
        self._lock_path = lock_path  # between processes; None for an in-memory database
        self._fd: int | None = None

    async def __aenter__(self) -> None:
        await self._turn.acquire()
        if self._lock_path is None:
            return
        try:
            if self._fd is None:
                self._fd = os.open(self._lock_path, os.O_RDWR | os.O_CREAT, 0o600)
                weakref.finalize(self, os.close, self._fd)
            fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # free: no thread needed
            return
        except BlockingIOError:
            pass
        except BaseException:
            self._turn.release()
            raise
        await self._wait_for_file(self._fd)

    async def _wait_for_file(self, fd: int) -> None:
        waiting = asyncio.get_running_loop().run_in_executor(None, fcntl.flock, fd, fcntl.LOCK_EX)
        try:
            await asyncio.shield(waiting)
        except BaseException:
            # Cancelled (the request's deadline) while the thread still waits: the lock, once the thread
            # has it, is given back, and only then may the next writer of this process take its turn.
            def give_back(done: asyncio.Future) -> None:
                try:
                    if not done.cancelled() and done.exception() is None:
                        fcntl.flock(fd, fcntl.LOCK_UN)
                finally:
                    self._turn.release()

            waiting.add_done_callback(give_back)
            raise

    async def __aexit__(self, *_exc: object) -> None:
        try:
            if self._fd is not None:
                fcntl.flock(self._fd, fcntl.LOCK_UN)
        finally:
            self._turn.release()


_write_lines: WeakKeyDictionary[Engine, WeakKeyDictionary[asyncio.AbstractEventLoop, _WriteLine]] = WeakKeyDictionary()


def write_gate(bind: AsyncEngine | AsyncConnection) -> AbstractAsyncContextManager[object]:
    """Enter around a whole write transaction (begin to commit or rollback): on SQLite, the writers' line
    (per engine and event loop, then between processes); elsewhere nothing. The wait is bounded by the
    request's own deadline (GATEWAY_MAX_REQUEST_SECONDS), which cancels it."""
    engine = bind.sync_engine
    if engine.dialect.name != "sqlite":
        return nullcontext()
    per_loop = _write_lines.setdefault(engine, WeakKeyDictionary())
    loop = asyncio.get_running_loop()
    line = per_loop.get(loop)
    if line is None:
        database = engine.url.database
        in_memory = not database or database == ":memory:" or database.startswith("file::memory:")
        line = per_loop[loop] = _WriteLine(None if in_memory else f"{database}.write-line")
    return line


def make_session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False, autoflush=False)


class DatabaseUnavailable(Exception):
    """No connection could be checked out (the database is down or unreachable)."""


@asynccontextmanager
async def request_session(
    session_factory: async_sessionmaker[AsyncSession], conn: AsyncConnection | None = None
) -> AsyncIterator[AsyncSession]:
    """A session bound to one connection checked out now (or `conn`, already checked out: a read replica's,
    app/db_replicas.py) and kept until the end: its read snapshots and units of work begin and end
    transactions on that connection, never returning it to the pool in between. After a drop, the session's
    rollback lets the same connection object reconnect (one new checkout) on its next use."""
    if conn is None:
        engine: AsyncEngine = session_factory.kw["bind"]
        try:
            conn = await engine.connect().start()
        except (SQLAlchemyError, OSError) as exc:
            raise DatabaseUnavailable(f"{type(exc).__name__}") from exc
    try:
        session = session_factory(bind=conn)
        try:
            yield session
        finally:
            try:
                await session.close()
            finally:
                await conn.close()
    except DBAPIError as exc:
        # Ending the request's transaction on a connection that dropped meanwhile: nothing to end, and the
        # connection is already invalidated (not returned to the pool).
        if not is_disconnect(exc):
            raise


async def run_unit(
    session_factory: async_sessionmaker[AsyncSession], work: Callable[[AsyncSession], Awaitable[Outcome[T]]]
) -> Outcome[T]:
    """One unit of work outside a GraphQL request (payment callbacks, sweeps): a write transaction that
    commits or rolls back as the service's Outcome says; an exception rolls back and propagates."""
    async with write_gate(session_factory.kw["bind"]), session_factory() as session:
        await session.connection(execution_options=WRITE)
        try:
            outcome = await work(session)
        except BaseException:
            await session.rollback()
            raise
        if outcome.commit:
            await session.commit()
        else:
            await session.rollback()
        return outcome
