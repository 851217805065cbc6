"""Per-request context: the resolved caller, one database session, its lock, and the loaders.

graphql-core resolves sibling fields concurrently, and an AsyncSession must not be used by two tasks
at once, so every read takes `db_lock`. Mutations run one after another (GraphQL spec) and each one
is a single unit of work: one transaction, committed or rolled back as the service's Outcome says.
Read snapshots always end with a rollback, so nothing done under a read can be committed by accident.

The session is bound to the one connection the request checked out (app/db.py `request_session`).
A statement that fails because that connection dropped (`app.db.is_disconnect`):
- in a read: the field answers SERVICE_UNAVAILABLE and `connection_lost` is set; the HTTP view reruns a
  request that only read, once, on a fresh connection (app/asgi.py);
- in a unit of work declared `retry_safe` (a mutation idempotent by its key): the whole unit runs once
  more on a fresh connection;
- otherwise: SERVICE_UNAVAILABLE (HTTP 503 when nothing of the request committed), never INTERNAL.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypeVar

from graphql import GraphQLError
from sqlalchemy import inspect
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.requests import Request
from starlette.responses import Response

from app.db import WRITE, is_disconnect, write_gate
from app.http.payments import payment_config
from app.models import Base
from app.observability import metrics
from app.services.common.caller import Caller
from app.services.common.errors import TopLevelCode
from app.services.common.outcome import Outcome
from app.services.payments.config import PaymentConfig
from app.settings import Settings

if TYPE_CHECKING:
    from app.loaders import Loaders

T = TypeVar("T")

log = logging.getLogger("app.db")


class ServiceUnavailable(GraphQLError):
    """A deliberate top-level error: the database connection dropped and the work was not retried (or
    dropped again on its one retry). The client may retry the request."""

    def __init__(self, message: str) -> None:
        super().__init__(message, extensions={"code": TopLevelCode.SERVICE_UNAVAILABLE.value})


NOT_APPLIED = "the database connection was lost; nothing was changed: retry the request"
MAYBE_APPLIED = (
    "the database connection was lost while committing; the change may or may not have been applied: "
    "read it back before retrying"
)
LOST_READ = "the database connection was lost; retry the request"


@dataclass
class RequestContext:
    request: Request
    response: Response | None
    settings: Settings
    session: AsyncSession
    caller: Caller
    db_lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    _loaders: Loaders | None = None
    # Set when a statement failed because the connection dropped (see the module docstring).
    connection_lost: bool = False
    # A unit of work started: the request is no longer rerun as a whole after a drop.
    wrote: bool = False
    # A unit of work committed: the answer is never a 503 (the client must not retry what is done).
    committed: bool = False
    # The response is built: fields still running (graphql-core leaves the siblings of a failed non-null
    # field running) must not touch the session any more.
    finished: bool = False

    @property
    def loaders(self) -> Loaders:
        if self._loaders is None:
            from app.loaders import Loaders

            self._loaders = Loaders(self)
        return self._loaders

    def payment_config(self) -> PaymentConfig:
        return payment_config(self.settings, str(self.request.base_url))

    async def finish(self) -> None:
        """Wait for the read or unit of work in progress, if any, and refuse any later one: the session can
        then be closed (or rolled back for a rerun) without a statement of this context in flight."""
        async with self.db_lock:
            self.finished = True

    def _check_open(self) -> None:
        if self.finished:
            raise ServiceUnavailable("the request has already been answered")

    @asynccontextmanager
    async def read(self) -> AsyncIterator[AsyncSession]:
        async with self.db_lock:
            self._check_open()
            try:
                yield self.session
            except DBAPIError as exc:
                if not is_disconnect(exc):
                    raise
                self.connection_lost = True
                await self.session.rollback()  # the next statement reconnects
                log.warning("database connection lost during a read")
                raise ServiceUnavailable(LOST_READ) from exc

    async def unit_of_work(
        self, work: Callable[[AsyncSession], Awaitable[Outcome[T]]], *, retry_safe: bool = False
    ) -> Outcome[T]:
        """Run `work` in one write transaction (BEGIN IMMEDIATE on SQLite) and commit or roll back as its
        Outcome says; an exception rolls back and propagates (masked as INTERNAL). Loaders are reset
        afterwards so that the payload is read fresh, never from a cache filled before the change.

        If the connection drops, `work` runs once more on a fresh connection when `retry_safe` (running it
        twice gives one effect: a mutation idempotent by its key); otherwise, or if it drops again,
        ServiceUnavailable."""
        self.wrote = True
        async with self.db_lock:
            self._check_open()
            attempts = 2 if retry_safe else 1
            for attempt in range(1, attempts + 1):
                committing = False
                try:
                    return await self._unit(work)
                except _Committing as interrupted:
                    committing = True
                    exc = interrupted.__cause__
                except DBAPIError as dropped:
                    if not is_disconnect(dropped):
                        raise
                    exc = dropped
                if attempt < attempts:
                    metrics.DB_CONNECTION_LOST.labels(action="retried").inc()
                    log.warning("database connection lost in a unit of work: retrying it once")
                    continue
                metrics.DB_CONNECTION_LOST.labels(action="unavailable").inc()
                log.warning("database connection lost in a unit of work: answering SERVICE_UNAVAILABLE")
                self.connection_lost = True
                raise ServiceUnavailable(MAYBE_APPLIED if committing else NOT_APPLIED) from exc
            raise AssertionError("unreachable")

    async def _unit(self, work: Callable[[AsyncSession], Awaitable[Outcome[T]]]) -> Outcome[T]:
        session = self.session
        if session.in_transaction():
            await session.rollback()  # end the read snapshot first: no snapshot is held while waiting
        async with write_gate(session.bind):  # SQLite: wait in this process's line for the write lock
            return await self._unit_in_line(session, work)

    async def _unit_in_line(
        self, session: AsyncSession, work: Callable[[AsyncSession], Awaitable[Outcome[T]]]
    ) -> Outcome[T]:
        try:
            await session.connection(execution_options=WRITE)
            outcome = await work(session)
            if outcome.commit:
                try:
                    await session.commit()
                except DBAPIError as exc:
                    if is_disconnect(exc):
                        raise _Committing from exc
                    raise
                self.committed = True
            else:
                await session.rollback()
                await _reload(session, outcome.value)
            return outcome
        except BaseException:
            await session.rollback()
            raise
        finally:
            session.expunge_all()
            self._loaders = None


class _Committing(Exception):
    """The connection dropped during COMMIT: the outcome is unknown."""


async def _reload(session: AsyncSession, value: object) -> None:
    """After a rollback, the rows a refused outcome shows (the draft as it was) are read again: the value, or
    the `order` of a result that carries one beside other answers (pasted lines)."""
    for row in (value, getattr(value, "order", None)):
        if isinstance(row, Base) and inspect(row).persistent:
            await session.refresh(row)
