"""Read replicas: where a GraphQL request's connection comes from (GATEWAY_DATABASE_REPLICA_URLS).

PostgreSQL streaming standbys (`pg_basebackup -R`) replay the primary's WAL; the gateway only chooses, once per
request and before anything runs, which server the request's one connection (app/db.py `request_session`)
comes from. The rules (docs/deployment.md):

- A **mutation** (and so everything its payload reads), a request whose operation cannot be known before it
  runs (an automatic persisted query sent by hash alone), anything that is not a GraphQL query: the primary.
- A **query** operation: a replica, unless the caller must read its own writes. After a request of a caller
  commits, the answer carries `Gateway-Wal-Position` (the primary's WAL position after the commit, `X/Y` as
  PostgreSQL writes it). A client that sends it back on its next requests (any process, any host) is served by
  a replica only once that replica's `pg_last_wal_replay_lsn()` has reached it, checked on the connection the
  request then uses; else by the primary. The process that answered the mutation also remembers the position
  per caller (API key + token) for GATEWAY_READ_YOUR_WRITES_SECONDS, for clients that do not echo the header.
- A replica that is down, not a standby any more (promoted), or whose replay is further behind than
  GATEWAY_REPLICA_MAX_LAG_SECONDS is skipped; with none left, reads go to the primary. Each process checks its
  replicas every GATEWAY_REPLICA_CHECK_SECONDS (`/health` shows the result). The lag is 0 while the replica has
  replayed everything the primary had written just before the check, else the age of its last replayed
  transaction (`now() - pg_last_xact_replay_timestamp()`).
- A query that loses its replica connection mid-way, or whose caller a replica does not know yet (a token
  created a moment ago), runs once more on the primary (app/asgi.py).

Background work (webhook dispatcher, payment sweep, payment callbacks, imports) always uses the primary.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import logging
import re
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from graphql import GraphQLError, OperationDefinitionNode, OperationType, parse
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession
from starlette.requests import Request

from app.db import make_engine
from app.observability import metrics
from app.settings import Settings

log = logging.getLogger("app.db")

# The response header that carries the primary's WAL position after a request's commit, and the request header
# a client echoes it in (the same name both ways).
WAL_POSITION_HEADER = "gateway-wal-position"

PRIMARY, REPLICA = "primary", "replica"

# States of a replica, as /health reports them.
OK, LAGGING, DOWN, NOT_STANDBY, UNKNOWN = "ok", "lagging", "down", "not-standby", "unknown"

_STATE = text(
    "SELECT pg_is_in_recovery(), pg_last_wal_replay_lsn()::text, "
    "extract(epoch FROM now() - pg_last_xact_replay_timestamp())::float8"
)


_LSN = re.compile(r"([0-9A-Fa-f]{1,8})/([0-9A-Fa-f]{1,8})")


def parse_lsn(value: str | None) -> int | None:
    """`16/B374D848` (PostgreSQL's pg_lsn text) as an integer; None for anything else."""
    match = _LSN.fullmatch(value or "")
    if match is None:
        return None
    return (int(match[1], 16) << 32) | int(match[2], 16)


def format_lsn(lsn: int) -> str:
    return f"{lsn >> 32:X}/{lsn & 0xFFFFFFFF:X}"


@lru_cache(maxsize=2048)
def _is_query(document: str, operation_name: str | None) -> bool:
    """Whether the operation the request names is a query (False when it cannot be told: strawberry answers)."""
    try:
        parsed = parse(document, no_location=True)
    except GraphQLError:
        return False
    operations = [d for d in parsed.definitions if isinstance(d, OperationDefinitionNode)]
    if operation_name is not None:
        operations = [o for o in operations if o.name is not None and o.name.value == operation_name]
    return len(operations) == 1 and operations[0].operation == OperationType.QUERY


def is_query_request(request: Request, body: bytes, lookup: Any = None) -> bool:  # noqa: ANN401 - trusted docs
    """Whether the request is a GraphQL query operation that may read from a replica. `lookup(doc_id)` gives a
    persisted document's text (the trusted documents manifest), when there is one."""
    if request.method == "GET":
        params = request.query_params
        payload: dict[str, Any] = {"query": params.get("query"), "operationName": params.get("operationName")}
        for name in ("documentId", "doc_id"):
            if name in params:
                payload[name] = params[name]
    else:
        try:
            payload = json.loads(body)
        except ValueError:
            return False
        if not isinstance(payload, dict):
            return False
    document = payload.get("query")
    if document is None and lookup is not None:
        doc_id = payload.get("documentId") or payload.get("doc_id")
        if doc_id is None:
            persisted = (payload.get("extensions") or {}).get("persistedQuery")
            doc_id = persisted.get("sha256Hash") if isinstance(persisted, dict) else None
        document = lookup(doc_id) if isinstance(doc_id, str) else None
    name = payload.get("operationName")
    if not isinstance(document, str) or not isinstance(name, str | None):
        return False
    return _is_query(document, name)


@dataclass
class Replica:
    url: str
    engine: AsyncEngine
    name: str  # host:port/database, no credentials
    state: str = UNKNOWN
    lag_seconds: float | None = None
    replay_lsn: int | None = None
    checked_at: float = 0.0
    error: str | None = None

    def report(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "state": self.state,
            "lagSeconds": None if self.lag_seconds is None else round(self.lag_seconds, 3),
            "replayPosition": None if self.replay_lsn is None else format_lsn(self.replay_lsn),
            **({"error": self.error} if self.error else {}),
        }


def _name(url: str) -> str:
    parsed = make_url(url)
    hosts = parsed.query.get("host")
    host = ",".join(hosts) if isinstance(hosts, tuple) else hosts or f"{parsed.host}:{parsed.port or 5432}"
    return f"{host}/{parsed.database}"


@dataclass
class ReadRouter:
    """Chooses the connection of each GraphQL request (module docstring). One per process and engine."""

    settings: Settings
    primary: AsyncEngine
    replicas: list[Replica]
    # caller key -> (WAL position of its last commit here, when it expires)
    _written: OrderedDict[str, tuple[int, float]] = field(default_factory=OrderedDict)
    _next: int = 0
    _checking: asyncio.Task | None = None
    _monitor: asyncio.Task | None = None

    @classmethod
    def from_settings(cls, settings: Settings, primary: AsyncEngine) -> ReadRouter | None:
        urls = settings.replica_urls
        if not urls:
            return None
        return cls(settings, primary, [Replica(u, make_engine(settings, u), _name(u)) for u in urls])

    # --- read-your-writes ------------------------------------------------------------------------------------

    @staticmethod
    def caller_key(request: Request) -> str:
        headers = request.headers
        raw = f"{headers.get('dj-api-key', '')}\n{headers.get('authorization', '')}".encode()
        return hashlib.sha256(raw).hexdigest()

    def required_position(self, request: Request) -> int | None:
        """The WAL position a replica must have replayed to serve this caller (None: any replica)."""
        wanted = parse_lsn(request.headers.get(WAL_POSITION_HEADER))
        remembered = self._written.get(self.caller_key(request))
        if remembered is not None:
            lsn, until = remembered
            if until < time.monotonic():
                self._written.pop(self.caller_key(request), None)
            else:
                wanted = max(wanted or 0, lsn)
        return wanted

    def remember_write(self, request: Request, lsn: int) -> None:
        key = self.caller_key(request)
        self._written.pop(key, None)
        self._written[key] = (lsn, time.monotonic() + self.settings.read_your_writes_seconds)
        while len(self._written) > 10_000:
            self._written.popitem(last=False)

    @staticmethod
    async def commit_position(session: AsyncSession) -> int | None:
        """The primary's WAL position now, after the request's commit: a replica that has replayed up to it has
        the commit."""
        try:
            value = (await session.execute(text("SELECT pg_current_wal_lsn()::text"))).scalar()
        finally:
            await session.rollback()
        return parse_lsn(value)

    # --- choosing a connection -------------------------------------------------------------------------------

    async def replica_connection(self, request: Request) -> AsyncConnection | None:
        """A connection to a usable replica that has replayed what this caller wrote, or None (use the
        primary)."""
        await self._fresh_states()
        usable = [r for r in self.replicas if r.state == OK]
        if not usable:
            return None
        wanted = self.required_position(request)
        start = self._next = (self._next + 1) % len(usable)
        for replica in usable[start:] + usable[:start]:
            if wanted is not None and replica.replay_lsn is not None and replica.replay_lsn >= wanted:
                wanted_here = None  # its last check already showed the position replayed
            else:
                wanted_here = wanted
            try:
                conn = await replica.engine.connect().start()
            except (SQLAlchemyError, OSError) as exc:
                self._mark_down(replica, exc)
                continue
            if wanted_here is None:
                return conn
            try:
                replayed = parse_lsn((await conn.exec_driver_sql("SELECT pg_last_wal_replay_lsn()::text")).scalar())
                await conn.rollback()
            except (SQLAlchemyError, OSError) as exc:
                await _close_quietly(conn)
                self._mark_down(replica, exc)
                continue
            if replayed is not None and replayed >= wanted_here:
                replica.replay_lsn = max(replica.replay_lsn or 0, replayed)
                return conn
            await conn.close()  # behind this caller's own write
        return None

    def _mark_down(self, replica: Replica, exc: BaseException) -> None:
        if replica.state != DOWN:
            log.warning("read replica %s is unreachable: skipped (%s)", replica.name, type(exc).__name__)
        replica.state, replica.error, replica.checked_at = DOWN, type(exc).__name__, time.monotonic()

    def replica_lost(self, replica_conn: AsyncConnection) -> None:
        """A request lost its replica connection: skip that replica until its next check says otherwise."""
        for replica in self.replicas:
            if replica_conn.engine is replica.engine:
                self._mark_down(replica, ConnectionError("connection lost"))

    def is_replica(self, conn: AsyncConnection) -> bool:
        return any(conn.engine is r.engine for r in self.replicas)

    # --- checking the replicas -------------------------------------------------------------------------------

    async def _fresh_states(self) -> None:
        """Runs the monitor of this event loop (started on first use), and waits for a first check."""
        if self._monitor is None or self._monitor.done():
            self._monitor = asyncio.create_task(self._watch(), name="replica-monitor")
        if any(r.checked_at == 0.0 for r in self.replicas):
            await self.check()

    async def _watch(self) -> None:
        while True:
            await asyncio.sleep(self.settings.replica_check_seconds)
            try:
                await self.check()
            except Exception:  # noqa: BLE001 - the monitor outlives any one failure
                log.exception("checking the read replicas failed")

    async def check(self) -> None:
        """Check every replica once (concurrent callers share one check)."""
        if self._checking is None or self._checking.done():
            self._checking = asyncio.ensure_future(self._check_all())
        await asyncio.shield(self._checking)

    async def _check_all(self) -> None:
        primary_lsn = None
        try:
            async with self.primary.connect() as conn:
                primary_lsn = parse_lsn((await conn.exec_driver_sql("SELECT pg_current_wal_lsn()::text")).scalar())
        except (SQLAlchemyError, OSError):
            pass  # the primary is down or in recovery itself: lag from the replay timestamp alone
        await asyncio.gather(*(self._check_one(r, primary_lsn) for r in self.replicas))

    async def _check_one(self, replica: Replica, primary_lsn: int | None) -> None:
        timeout = max(1.0, 2 * self.settings.replica_check_seconds)
        try:
            async with asyncio.timeout(timeout), replica.engine.connect() as conn:
                in_recovery, replay, age = (await conn.execute(_STATE)).one()
        except (SQLAlchemyError, OSError, TimeoutError) as exc:
            self._mark_down(replica, exc)
            metrics.REPLICA_LAG.labels(replica=replica.name).set(-1)
            return
        replica.checked_at, replica.error = time.monotonic(), None
        if not in_recovery:
            if replica.state != NOT_STANDBY:
                log.warning("read replica %s is not a standby (promoted?): skipped", replica.name)
            replica.state, replica.lag_seconds, replica.replay_lsn = NOT_STANDBY, None, None
            metrics.REPLICA_LAG.labels(replica=replica.name).set(-1)
            return
        replica.replay_lsn = parse_lsn(replay)
        if primary_lsn is not None and replica.replay_lsn is not None and replica.replay_lsn >= primary_lsn:
            lag = 0.0
        else:
            lag = max(0.0, age) if age is not None else float("inf")
        replica.lag_seconds = lag
        state = OK if lag <= self.settings.replica_max_lag_seconds else LAGGING
        if state != replica.state and state == LAGGING:
            log.warning("read replica %s lags %.1f s: skipped", replica.name, lag)
        replica.state = state
        metrics.REPLICA_LAG.labels(replica=replica.name).set(lag if lag != float("inf") else -1)

    async def health(self) -> list[dict[str, Any]]:
        await self._fresh_states()
        stale = time.monotonic() - 3 * self.settings.replica_check_seconds
        if any(r.checked_at < stale for r in self.replicas):
            await self.check()
        return [r.report() for r in self.replicas]

    async def dispose(self) -> None:
        for task in (self._monitor, self._checking):
            if task is not None and not task.done():
                task.cancel()
                with contextlib.suppress(BaseException):
                    await task
        for replica in self.replicas:
            await replica.engine.dispose()


async def _close_quietly(conn: AsyncConnection) -> None:
    with contextlib.suppress(Exception):
        await conn.close()


def count_read(target: str) -> None:
    metrics.READS.labels(target=target).inc()
