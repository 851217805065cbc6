"""Per-request context: the resolved caller, one database session, its lock, and the loaders.

graphql-core resolves sibling fields concurrently, and an AsyncSession must not be used by two tasks
at once, so every read takes `db_lock`. Mutations run one after another (GraphQL spec) and each one
is a single unit of work: one transaction, committed or rolled back as the service's Outcome says.
Read snapshots always end with a rollback, so nothing done under a read can be committed by accident.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypeVar

from sqlalchemy import inspect
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.requests import Request
from starlette.responses import Response

from app.db import WRITE
from app.http.payments import payment_config
from app.models import Base
from app.services.access.caller import Caller
from app.services.common.outcome import Outcome
from app.services.payments.config import PaymentConfig
from app.settings import Settings

if TYPE_CHECKING:
    from app.loaders import Loaders

T = TypeVar("T")


@dataclass
class RequestContext:
    request: Request
    response: Response | None
    settings: Settings
    session: AsyncSession
    caller: Caller
    db_lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    _loaders: Loaders | None = None

    @property
    def loaders(self) -> Loaders:
        if self._loaders is None:
            from app.loaders import Loaders

            self._loaders = Loaders(self)
        return self._loaders

    def payment_config(self) -> PaymentConfig:
        return payment_config(self.settings, str(self.request.base_url))

    @asynccontextmanager
    async def read(self) -> AsyncIterator[AsyncSession]:
        async with self.db_lock:
            yield self.session

    async def unit_of_work(self, work: Callable[[AsyncSession], Awaitable[Outcome[T]]]) -> Outcome[T]:
        """Run `work` in one write transaction (BEGIN IMMEDIATE on SQLite) and commit or roll back as its
        Outcome says; an exception rolls back and propagates (masked as INTERNAL). Loaders are reset
        afterwards so that the payload is read fresh, never from a cache filled before the change."""
        async with self.db_lock:
            session = self.session
            if session.in_transaction():
                await session.rollback()  # end the read snapshot first
            await session.connection(execution_options=WRITE)
            try:
                outcome = await work(session)
                if outcome.commit:
                    await session.commit()
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


async def _reload(session: AsyncSession, value: object) -> None:
    """After a rollback, the rows a refused outcome shows (the draft as it was) are read again."""
    if isinstance(value, Base) and inspect(value).persistent:
        await session.refresh(value)
