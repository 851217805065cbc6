"""Database connections per request, and what a dropped connection does (app/db.py, app/context.py).

- One pool checkout per request and no ping on the hot path (SQLite and PostgreSQL).
- PostgreSQL: a pooled connection idle past GATEWAY_DB_PING_IDLE_SECONDS is pinged, and replaced when the
  server closed it.
- PostgreSQL: connections killed with pg_terminate_backend (the only way to drop a live connection of a real
  server from a test; SQLite has no connection to drop): a read is rerun once, a keyed placement is retried
  once, an unkeyed one answers 503 SERVICE_UNAVAILABLE with nothing changed; the pool recovers by itself.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Callable

import asyncpg
import httpx
import pytest
from sqlalchemy import event, func, select

from app.asgi import create_app
from app.models import Offer, Order
from app.observability import metrics
from app.services.common import faults
from app.settings import Settings
from tests.support import databases
from tests.support.documents import OFFERS, PLACE, offer_ids, ready_draft
from tests.support.gateway import Gateway

KILL_OTHERS = (
    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
)


class PoolCounts:
    """Checkouts from the engine's pool and pings of its dialect while counting."""

    def __init__(self, engine) -> None:  # noqa: ANN001
        self.engine = engine
        self.checkouts = 0
        self.pings = 0

    def _checkout(self, *_args) -> None:  # noqa: ANN002
        self.checkouts += 1

    @contextlib.contextmanager
    def counting(self):  # noqa: ANN201
        pool = self.engine.sync_engine.pool
        dialect = self.engine.sync_engine.dialect
        ping = dialect.do_ping

        def counted_ping(dbapi_conn) -> bool:  # noqa: ANN001 - wraps the real ping, which still runs
            self.pings += 1
            return ping(dbapi_conn)

        event.listen(pool, "checkout", self._checkout)
        dialect.do_ping = counted_ping
        try:
            yield self
        finally:
            event.remove(pool, "checkout", self._checkout)
            del dialect.do_ping  # back to the class's method


def lost(action: str) -> float:
    return metrics.DB_CONNECTION_LOST.labels(action=action)._value.get()


async def kill_other_backends(database_url: str) -> int:
    conn = await asyncpg.connect(database_url.replace("+asyncpg", ""))
    try:
        return await conn.fetchval(KILL_OTHERS)
    finally:
        await conn.close()


def pg_only(gw_or_url: Gateway | str) -> str:
    url = gw_or_url if isinstance(gw_or_url, str) else gw_or_url.settings.database_url
    if not url.startswith("postgresql"):
        pytest.skip("SQLite has no server connection that can drop; the PostgreSQL run covers this")
    if databases.THROUGH_POOLER:
        pytest.skip("through PgBouncer the gateway's connections are the pooler's: killing a backend drops none")
    return url


@contextlib.asynccontextmanager
async def gateway(database_url: str, **settings: object) -> AsyncIterator[Gateway]:
    s = Settings(database_url=database_url, env="test", **settings)
    app = create_app(s)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://gateway.test", timeout=60) as client:
        yield Gateway(app=app, client=client, settings=s)
    await app.state.engine.dispose()


async def test_one_checkout_and_no_ping_per_request(gw: Gateway) -> None:
    """Authentication, the read snapshot, the unit of work and the payload read share one connection."""
    acme = await gw.as_user("buyer@acme.example")
    offers = await offer_ids(gw, acme)
    create = "mutation($i: CreateDraftOrderInput) { createDraftOrder(input: $i) { draftOrder { id lines { sku } } } }"
    counts = PoolCounts(gw.engine)
    with counts.counting():
        for _ in range(5):
            await gw.data(OFFERS, headers=acme)
        for _ in range(5):
            lines = [{"offerId": offers["STAPLER"], "quantity": 1}]
            await gw.data(create, {"i": {"lines": lines}}, acme)
    assert (counts.checkouts, counts.pings) == (10, 0)


async def test_idle_connection_is_pinged_and_a_dead_one_replaced(database_url: str) -> None:
    url = pg_only(database_url)
    async with gateway(url, db_ping_idle_seconds=0) as gw:
        headers = gw.headers()
        await gw.data("{ __typename }", headers=headers)
        counts = PoolCounts(gw.engine)
        with counts.counting():
            await gw.data("{ __typename }", headers=headers)
            assert (counts.checkouts, counts.pings) == (1, 1)  # idle > 0 s: pinged
            assert await kill_other_backends(url) >= 1
            before = lost("retried")
            await gw.data("{ __typename }", headers=headers)
        # The ping found the connection dead; the pool connected a new one before the request used it.
        assert counts.pings == 2
        assert lost("retried") == before


async def test_dropped_connection_rerun_of_a_read(gw: Gateway) -> None:
    url = pg_only(gw)
    acme = await gw.as_user("buyer@acme.example")
    await gw.data(OFFERS, headers=acme)
    assert await kill_other_backends(url) >= 1  # the pooled connection the next request will take
    before = lost("retried")
    resp = await gw.post(OFFERS, headers=acme)
    assert resp.status_code == 200, resp.text
    assert resp.json()["data"]["products"]["edges"]
    assert lost("retried") == before + 1


@contextlib.contextmanager
def kill_at(point: str, url: str, times: int) -> Callable[[], int]:
    """Kill the database's other connections (the request's own among them) when `point` fires, the first
    `times` times."""
    fired = [0]

    async def hook() -> None:
        fired[0] += 1
        if fired[0] <= times:
            await kill_other_backends(url)

    faults.register(point, hook)
    try:
        yield lambda: fired[0]
    finally:
        faults.clear(point)


async def _stock_and_placed(gw: Gateway, offer_id: str) -> tuple[int, int]:
    async with gw.session_factory() as s:
        stock = await s.scalar(select(Offer.stock).where(Offer.id == offer_id))
        placed = await s.scalar(select(func.count()).select_from(Order).where(Order.status == "PLACED"))
        return stock, placed


async def test_unkeyed_placement_answers_503_with_nothing_changed(gw: Gateway) -> None:
    url = pg_only(gw)
    acme = await gw.as_user("buyer@acme.example")
    offers = await offer_ids(gw, acme)
    draft = await ready_draft(gw, acme, offers, "STAPLER", 2)
    before = await _stock_and_placed(gw, offers["STAPLER"])
    unavailable = lost("unavailable")
    with kill_at("placement.after_stock_reserved", url, times=1) as fired:
        resp = await gw.post(PLACE, {"id": draft["id"]}, acme)
    assert fired() == 1  # not retried
    assert resp.status_code == 503, resp.text
    assert resp.headers["retry-after"] == "1"
    body = resp.json()
    assert [e["extensions"]["code"] for e in body["errors"]] == ["SERVICE_UNAVAILABLE"]
    assert "nothing was changed" in body["errors"][0]["message"]
    assert lost("unavailable") == unavailable + 1
    assert await _stock_and_placed(gw, offers["STAPLER"]) == before
    # The pool recovered: the same draft places now.
    payload = (await gw.data(PLACE, {"id": draft["id"]}, acme))["placeDraftOrder"]
    assert payload["errors"] == [] and payload["order"]["status"] == "PLACED"
    assert await _stock_and_placed(gw, offers["STAPLER"]) == (before[0] - 2, before[1] + 1)


async def test_keyed_placement_is_retried_once(gw: Gateway) -> None:
    url = pg_only(gw)
    acme = await gw.as_user("buyer@acme.example")
    offers = await offer_ids(gw, acme)
    draft = await ready_draft(gw, acme, offers, "STAPLER", 2)
    before = await _stock_and_placed(gw, offers["STAPLER"])
    retried = lost("retried")
    with kill_at("placement.after_stock_reserved", url, times=1) as fired:
        resp = await gw.post(PLACE, {"id": draft["id"], "input": {"idempotencyKey": "k-retry"}}, acme)
    assert fired() == 2  # the first attempt and its one retry
    assert resp.status_code == 200, resp.text
    payload = resp.json()["data"]["placeDraftOrder"]
    assert payload["errors"] == [] and payload["order"]["status"] == "PLACED"
    assert len(payload["order"]["logisticOrders"]) >= 1
    assert lost("retried") == retried + 1
    assert await _stock_and_placed(gw, offers["STAPLER"]) == (before[0] - 2, before[1] + 1)


async def test_keyed_placement_dropped_twice_answers_503(gw: Gateway) -> None:
    url = pg_only(gw)
    acme = await gw.as_user("buyer@acme.example")
    offers = await offer_ids(gw, acme)
    draft = await ready_draft(gw, acme, offers, "STAPLER", 1)
    before = await _stock_and_placed(gw, offers["STAPLER"])
    with kill_at("placement.after_stock_reserved", url, times=2) as fired:
        resp = await gw.post(PLACE, {"id": draft["id"], "input": {"idempotencyKey": "k-twice"}}, acme)
    assert fired() == 2  # retried once, not more
    assert resp.status_code == 503, resp.text
    assert [e["extensions"]["code"] for e in resp.json()["errors"]] == ["SERVICE_UNAVAILABLE"]
    assert await _stock_and_placed(gw, offers["STAPLER"]) == before
    # The key stayed free: the client's retry places the order once.
    payload = (await gw.data(PLACE, {"id": draft["id"], "input": {"idempotencyKey": "k-twice"}}, acme))[
        "placeDraftOrder"
    ]
    assert payload["errors"] == [] and payload["order"]["status"] == "PLACED"
    assert await _stock_and_placed(gw, offers["STAPLER"]) == (before[0] - 1, before[1] + 1)
