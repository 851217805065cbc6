"""Per-request context: the resolved caller, one database session, its lock, and the loaders.

graphql-core resolves sibling fields concurrently, and an AsyncSession must not be used by two tasks
at once, so every read takes `db_lock`. Mutations run one after another (GraphQL spec) and each one
is a single unit of work: one transaction, committed or rolled back as a whole.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sqlalchemy.ext.asyncio import AsyncSession
from starlette.requests import Request
from starlette.responses import Response

from app.db import WRITE
from app.services.caller import Caller
from app.settings import Settings

if TYPE_CHECKING:
    from app.loaders import Loaders


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

    @asynccontextmanager
    async def read(self) -> AsyncIterator[AsyncSession]:
        async with self.db_lock:
            yield self.session

    @asynccontextmanager
    async def unit_of_work(self) -> AsyncIterator[AsyncSession]:
        """One write transaction (BEGIN IMMEDIATE on SQLite). Loaders are reset afterwards so that the
        payload is read fresh, never from a cache filled before the change."""
        async with self.db_lock:
            if self.session.in_transaction():
                await self.session.commit()  # end the read snapshot first
            await self.session.connection(execution_options=WRITE)
            try:
                yield self.session
                await self.session.commit()
            except BaseException:
                await self.session.rollback()
                raise
            finally:
                self.session.expunge_all()
                self._loaders = None
