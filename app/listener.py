"""One dedicated PostgreSQL connection per process LISTENing on the gateway's channels (services/events/notify.py).

Each channel has an `asyncio.Event`, set when a notification arrives; the dispatcher and the sweep wait on it
besides their poll timer. The connection is not taken from the engine's pool (a pooled connection goes back
to the pool and to other work; LISTEN belongs to a session): it is opened with asyncpg directly, with
`listen_dsn(settings)` (asyncpg's connect arguments as SQLAlchemy's asyncpg dialect reads them from the URL: a
multi-host URL with `target_session_attrs=read-write` gives lists of hosts and ports, as for the engine).
When it drops (server restart, failover, a killed backend, a network cut that the keep-alive query notices)
the listener reconnects with a growing pause (0.5 s doubling to 30 s); while it is down `listening` is False
and the pollers fall back to their short poll. On (re)connecting every channel's event is set once: what was
notified while nobody listened is picked up by the next look.

Behind a transaction-mode pooler (GATEWAY_DB_POOLER=pgbouncer) LISTEN cannot work (the pooler hands the
server connection to other clients after each transaction): the listener connects to
GATEWAY_DATABASE_LISTEN_URL (the server itself, bypassing the pooler) when it is set, and is off otherwise.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Iterable
from typing import Any

from sqlalchemy.dialects.postgresql.asyncpg import PGDialect_asyncpg
from sqlalchemy.engine import make_url

from app.observability.logging import get_logger
from app.settings import Settings

log = get_logger("app.listener")

KEEPALIVE_SECONDS = 15.0  # an idle listening connection is checked this often (a cut network sends no FIN)
KEEPALIVE_TIMEOUT_SECONDS = 5.0
CONNECT_TIMEOUT_SECONDS = 10.0
RETRY_FIRST_SECONDS, RETRY_MAX_SECONDS = 0.5, 30.0
APPLICATION_NAME = "commerce-gateway listen"  # how the connection shows in pg_stat_activity


def listen_dsn(settings: Settings) -> dict[str, Any] | None:
    """The asyncpg connect() arguments of the listener, or None when LISTEN is off: SQLite,
    GATEWAY_LISTEN=false, or a transaction-mode pooler without GATEWAY_DATABASE_LISTEN_URL."""
    if settings.is_sqlite or not settings.listen:
        return None
    url = settings.database_listen_url
    if url is None:
        if settings.db_pooler == "pgbouncer":
            return None
        url = settings.database_url
    _, kwargs = PGDialect_asyncpg().create_connect_args(make_url(url))
    kwargs.pop("prepared_statement_cache_size", None)  # the dialect's own argument, not asyncpg's
    return kwargs


class Listener:
    def __init__(self, dsn: dict[str, Any] | None, channels: Iterable[str]) -> None:
        self.dsn = dsn
        self.channels = tuple(channels)
        self._events = {channel: asyncio.Event() for channel in self.channels}
        self.listening = False  # the connection is up and LISTENing on every channel
        self.connects = 0  # successful (re)connections, for logs and tests

    def event(self, channel: str) -> asyncio.Event:
        return self._events[channel]

    def _notified(self, _conn: object, _pid: int, channel: str, _payload: str) -> None:
        if (ev := self._events.get(channel)) is not None:
            ev.set()

    async def run(self, stop: asyncio.Event) -> None:
        """Listen until `stop`, reconnecting whenever the connection is lost. Returns at once when off."""
        if self.dsn is None:
            return
        import asyncpg

        pause = RETRY_FIRST_SECONDS
        while not stop.is_set():
            try:
                conn = await asyncpg.connect(
                    **self.dsn, timeout=CONNECT_TIMEOUT_SECONDS, server_settings={"application_name": APPLICATION_NAME}
                )
            except Exception as exc:  # noqa: BLE001 - whatever ends it, the listener goes on (polling meanwhile)
                log.warning("listen: cannot connect, polling meanwhile", error=type(exc).__name__, retry_in=pause)
                await _wait(stop, pause)
                pause = min(pause * 2, RETRY_MAX_SECONDS)
                continue
            lost = asyncio.Event()
            conn.add_termination_listener(lambda _conn, lost=lost: lost.set())
            try:
                for channel in self.channels:
                    await conn.add_listener(channel, self._notified)
                pause = RETRY_FIRST_SECONDS
                await self._listen(conn, lost, stop)
            except Exception as exc:  # noqa: BLE001 - whatever ends it, the listener goes on (polling meanwhile)
                log.warning("listen: connection lost, polling until it is back", error=type(exc).__name__)
            finally:
                self.listening = False
                with contextlib.suppress(Exception):
                    if lost.is_set() or stop.is_set():
                        conn.terminate()
                    else:
                        await asyncio.wait_for(conn.close(), KEEPALIVE_TIMEOUT_SECONDS)
            if not stop.is_set():
                await _wait(stop, pause)
                pause = min(pause * 2, RETRY_MAX_SECONDS)

    async def _listen(self, conn, lost: asyncio.Event, stop: asyncio.Event) -> None:  # noqa: ANN001 - asyncpg
        self.listening = True
        self.connects += 1
        for ev in self._events.values():  # notifications sent while nobody listened: look once
            ev.set()
        log.info("listening for notifications", channels=",".join(self.channels), connects=self.connects)
        while not stop.is_set():
            if await _first(stop, lost, seconds=KEEPALIVE_SECONDS):
                if lost.is_set():
                    log.warning("listen: connection lost, polling until it is back")
                return
            await conn.execute("SELECT 1", timeout=KEEPALIVE_TIMEOUT_SECONDS)


async def _first(*events: asyncio.Event, seconds: float) -> bool:
    """Wait until one of `events` is set or `seconds` pass; whether one was set."""
    waiters = [asyncio.ensure_future(ev.wait()) for ev in events]
    try:
        done, _ = await asyncio.wait(waiters, timeout=seconds, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for waiter in waiters:
            waiter.cancel()
    return bool(done)


async def _wait(stop: asyncio.Event, seconds: float) -> None:
    await _first(stop, seconds=seconds)


async def wait_any(*events: asyncio.Event | None, seconds: float) -> None:
    """Wait until one of the (non-None) `events` is set or `seconds` pass (the pollers' idle wait)."""
    await _first(*(ev for ev in events if ev is not None), seconds=seconds)
