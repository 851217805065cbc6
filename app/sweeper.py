"""The periodic expiry of pending payments inside `serve` (also checked whenever a buyer's cart or order
is touched). Several processes may sweep at once: services/payments/expiry claims rows safely."""

from __future__ import annotations

import asyncio
import logging

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.db import is_disconnect, run_unit
from app.models import utcnow
from app.services.common.outcome import Outcome
from app.services.payments.expiry import expire_due

log = logging.getLogger("app.sweeper")


async def _expire(session: AsyncSession) -> Outcome[int]:
    return Outcome.done(await expire_due(session, utcnow()))


async def sweep_payments(
    session_factory: async_sessionmaker[AsyncSession], every_seconds: float, stop: asyncio.Event
) -> None:
    while not stop.is_set():
        try:
            expired = (await run_unit(session_factory, _expire)).value
            if expired:
                log.info("expired %s pending payments", expired)
        except Exception as exc:  # noqa: BLE001 - a failed sweep is retried at the next tick
            if is_disconnect(exc):  # an expected fault (connection dropped): one line, no traceback
                log.warning("payment sweep: database connection lost, retrying")
            else:
                log.exception("payment sweep failed")
        try:
            await asyncio.wait_for(stop.wait(), every_seconds)
        except TimeoutError:
            pass
