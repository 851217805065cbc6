"""Engine and session factory.

SQLite: WAL journal and a busy timeout so readers never block the writer, and write transactions
start with BEGIN IMMEDIATE (a deferred transaction that upgrades to a write lock fails at once with
SQLITE_BUSY, whatever the busy timeout). PostgreSQL: plain asyncpg with READ COMMITTED.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

from app.services.common.outcome import Outcome
from app.settings import Settings

T = TypeVar("T")

# Execution option that asks for a write transaction (BEGIN IMMEDIATE on SQLite).
WRITE = {"gateway_write": True}


def make_engine(settings: Settings) -> AsyncEngine:
    if settings.is_sqlite:
        engine = create_async_engine(
            settings.database_url,
            connect_args={"timeout": settings.sqlite_busy_timeout_ms / 1000},
            pool_size=settings.db_pool_size,
            max_overflow=settings.db_pool_size,
        )
        _configure_sqlite(engine, settings)
        return engine
    return create_async_engine(
        settings.database_url,
        pool_size=settings.db_pool_size,
        max_overflow=settings.db_pool_size,
        pool_pre_ping=True,
    )


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
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            conn.exec_driver_sql("BEGIN")


def make_session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False, autoflush=False)


async def run_unit(
    session_factory: async_sessionmaker[AsyncSession], work: Callable[[AsyncSession], Awaitable[Outcome[T]]]
) -> Outcome[T]:
    """One unit of work outside a GraphQL request (payment callbacks, sweeps): a write transaction that
    commits or rolls back as the service's Outcome says; an exception rolls back and propagates."""
    async with session_factory() as session:
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
