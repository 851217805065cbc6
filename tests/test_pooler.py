"""The gateway behind PgBouncer in transaction mode (GATEWAY_DB_POOLER=pgbouncer, app/db.py): two real `serve`
processes whose database URL names the pooler place and read concurrently, with the invariants of one server
(no oversell, one order per idempotency key), and PgBouncer's own statistics show the traffic went through it.
LISTEN cannot go through a transaction pooler: with GATEWAY_DATABASE_LISTEN_URL naming the server itself, a
webhook still leaves at the commit.

Opt-in: GATEWAY_TEST_PG_POOLER_URL names a PgBouncer in transaction mode in front of the server of
GATEWAY_TEST_PG (`eval "$(scripts/pgbouncer start)"` starts one and prints the variable). Unset: skipped, unless
GATEWAY_TEST_REQUIRE_PG=1 and PgBouncer is installed, where it fails.
"""

from __future__ import annotations

import asyncio
import shutil
import subprocess
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx
import pytest
from sqlalchemy import func, select

from app.asgi import create_app
from app.models import Offer, Order
from app.settings import Settings
from tests.support import databases
from tests.support.documents import PLACE, offer_ids, ready_draft
from tests.support.gateway import Gateway
from tests.support.servers import gateways
from tests.support.users import extra_buyers
from tests.support.webhook_receiver import receiver
from tests.support.webhooks import subscribe

pytestmark = pytest.mark.slow

POOLER_URL = databases.POOLER_URL
ORDERS = "{ orders(first: 50) { edges { node { id reference status } } } }"


@dataclass
class Pooled:
    gw: Gateway  # in process, on the server directly: the test's own set-up and checks
    name: str  # the database
    url: str  # the same database through PgBouncer, for the gateway processes


def pooler_url() -> str:
    if POOLER_URL:
        return POOLER_URL
    reason = 'no PgBouncer: set GATEWAY_TEST_PG_POOLER_URL (eval "$(scripts/pgbouncer start)")'
    if databases.REQUIRE_PG and shutil.which("pgbouncer"):
        pytest.fail(reason)
    pytest.skip(reason)


@pytest.fixture
async def pooled(pg_databases: databases.PgDatabases) -> AsyncIterator[Pooled]:
    base = pooler_url()
    name = await pg_databases.take()
    settings = Settings(database_url=databases.pg_url(name), env="test")
    app = create_app(settings)
    url = base.replace("postgresql://", "postgresql+asyncpg://", 1).rsplit("/", 1)[0] + f"/{name}"
    try:
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://gateway.test", timeout=60
        ) as client:
            yield Pooled(Gateway(app=app, client=client, settings=settings), name, url)
    finally:
        await app.state.engine.dispose()
        pg_databases.release(name)


def pooler_transactions(database: str) -> int:
    """Transactions PgBouncer passed to `database` so far (SHOW STATS on its admin console, through psql: the
    console speaks only the simple query protocol)."""
    parts = urlsplit(POOLER_URL or "")
    out = subprocess.run(
        ["psql", "-h", parts.hostname or "127.0.0.1", "-p", str(parts.port or 6432), "-U", parts.username or "postgres"]
        + ["-d", "pgbouncer", "-AtF", "|", "-c", "SHOW STATS"],
        capture_output=True,
        text=True,
        check=True,
        timeout=30,
    ).stdout
    header = ["database", "total_xact_count"]
    for line in out.splitlines():
        fields = line.split("|")
        if fields[0] == database:
            return int(fields[header.index("total_xact_count")])
    return 0


async def test_two_processes_place_and_read_through_pgbouncer(pooled: Pooled) -> None:
    gw = pooled.gw
    buyers = await extra_buyers(gw, 12)
    offers = await offer_ids(gw, buyers[0])
    drafts = [await ready_draft(gw, h, offers, "STAPLER", 1) for h in buyers]  # 12 buyers, 5 staplers
    before = pooler_transactions(pooled.name)
    with gateways(pooled.url, 2, GATEWAY_DB_POOLER="pgbouncer", GATEWAY_DB_POOL_SIZE="4") as urls:
        async with httpx.AsyncClient(timeout=60) as client:

            async def place(i: int, draft: dict, headers: dict) -> dict:
                body = {"query": PLACE, "variables": {"id": draft["id"], "input": {"idempotencyKey": f"pooled-{i}"}}}
                first, again = await asyncio.gather(  # the same key through both processes at once: one result
                    client.post(f"{urls[i % 2]}/graphql", json=body, headers=headers),
                    client.post(f"{urls[(i + 1) % 2]}/graphql", json=body, headers=headers),
                )
                one, two = first.json()["data"]["placeDraftOrder"], again.json()["data"]["placeDraftOrder"]
                assert [e["code"] for e in one["errors"]] == [e["code"] for e in two["errors"]], (one, two)
                assert (one["order"] or {}).get("status") == (two["order"] or {}).get("status"), (one, two)
                return one

            async def read(i: int, headers: dict) -> list[dict]:
                resp = await client.post(f"{urls[i % 2]}/graphql", json={"query": ORDERS}, headers=headers)
                assert "errors" not in resp.json(), resp.json()
                return [e["node"] for e in resp.json()["data"]["orders"]["edges"]]

            payloads = await asyncio.gather(
                *(place(i, d, h) for i, (d, h) in enumerate(zip(drafts, buyers, strict=True))),
                *(read(i, h) for i, h in enumerate(buyers)),  # reads while the placements run
            )
            payloads = payloads[: len(drafts)]
            placed = [p for p in payloads if p["errors"] == []]
            refused = [p for p in payloads if [e["code"] for e in p["errors"]] == ["INSUFFICIENT_STOCK"]]
            assert (len(placed), len(refused)) == (5, 7)
            # Each buyer reads their own orders back through the other process.
            seen = await asyncio.gather(*(read(i + 1, h) for i, h in enumerate(buyers)))
            placed_ids = {p["order"]["id"] for p in placed}
            mine = {o["id"] for orders in seen for o in orders if o["status"] != "DRAFT"}
            assert mine == placed_ids
    after = pooler_transactions(pooled.name)
    assert after - before >= 12, (before, after)  # the processes' transactions went through PgBouncer
    async with gw.session_factory() as s:
        assert await s.scalar(select(Offer.stock).where(Offer.id == offers["STAPLER"])) == 0
        placed_rows = await s.scalar(select(func.count()).select_from(Order).where(Order.id.in_(placed_ids)))
        assert placed_rows == 5


async def test_behind_pgbouncer_a_webhook_leaves_at_the_commit_with_a_direct_listen_url(pooled: Pooled) -> None:
    """One process places (its dispatcher off), through the pooler: the NOTIFY goes through PgBouncer inside the
    placement's transaction, and PostgreSQL delivers it at the commit. Another process delivers: it listens on
    GATEWAY_DATABASE_LISTEN_URL (the server itself) and polls every 30 s only."""
    gw = pooled.gw
    operator = await gw.as_user("operator@demo.example", client="OPERATOR")
    acme = await gw.as_user("buyer@acme.example")
    offers = await offer_ids(gw, acme)
    drafts = [await ready_draft(gw, acme, offers, "NOTEBOOK", 1) for _ in range(2)]
    behind = {"GATEWAY_DB_POOLER": "pgbouncer", "GATEWAY_PAYMENT_SWEEP_SECONDS": "0"}
    placing = {**behind, "GATEWAY_WEBHOOK_DISPATCH": "false"}
    delivering = {
        **behind,
        "GATEWAY_DATABASE_LISTEN_URL": databases.pg_url(pooled.name),
        "GATEWAY_WEBHOOK_POLL_SECONDS": "30",
        "GATEWAY_LISTEN_POLL_SECONDS": "30",
    }
    with receiver() as hooks:
        await subscribe(gw, operator, hooks.url, ["ORDER_PLACED"])
        with gateways(pooled.url, 1, **delivering), gateways(pooled.url, 1, **placing) as (placer,):
            async with httpx.AsyncClient(timeout=60) as client:
                delays = []
                for draft in drafts:  # the first may be found by the deliverer's start-up look; the second not
                    body = {"query": PLACE, "variables": {"id": draft["id"]}}
                    resp = await client.post(f"{placer}/graphql", json=body, headers=acme)
                    committed = time.monotonic()
                    assert resp.json()["data"]["placeDraftOrder"]["errors"] == [], resp.json()
                    deadline = committed + 60
                    while not any(e["data"]["order"]["id"] == draft["id"] for e in hooks.events()):
                        assert time.monotonic() < deadline, "not delivered"
                        await asyncio.sleep(0.02)
                    delays.append(time.monotonic() - committed)
        ids = [c.headers["webhook-id"] for c in hooks.calls]
    assert len(ids) == 2 and len(set(ids)) == 2
    assert delays[1] < 30 * 0.2, delays  # within a fifth of the poll period: woken, not polled
