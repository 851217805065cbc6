"""Read replicas over HTTP against a real streaming standby (scripts/pg-replica; tests/support/pg_replica.py says
when these run): queries are served by the standby, mutations by the primary, the writer reads its own writes
while the standby's replay is paused, another caller keeps reading the standby, and a lagging or stopped standby
is skipped. Which server answered is read from PostgreSQL itself (each server's pg_stat_statements counts
what it ran), never from the gateway's log."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager

import httpx
import pytest

from app.asgi import create_app
from app.db_replicas import WAL_POSITION_HEADER, parse_lsn
from app.settings import Settings
from tests.support.documents import CREATE, DRAFT, OFFERS
from tests.support.gateway import Gateway
from tests.support.pg_replica import Pair, caught_up, require_pair, sql, started_pair

# One worker starts the pair its tests share (pytest-xdist --dist loadgroup).
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("pg_pair")]


@pytest.fixture(scope="module")
def pg_pair() -> Iterator[Pair]:
    require_pair()
    with started_pair() as pair:
        yield pair


@asynccontextmanager
async def gateway(pair: Pair, **settings: object) -> AsyncIterator[Gateway]:
    """One gateway process's app (in process, its own pools and read-your-writes memory) on the pair."""
    config = Settings(
        database_url=pair.primary_url,
        database_replica_urls=pair.standby_url,
        env="test",
        replica_check_seconds=0.2,
        **{"replica_max_lag_seconds": 60.0, **settings},
    )
    app = create_app(config)
    try:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://gateway.test", timeout=60) as client:
            yield Gateway(app=app, client=client, settings=config)
    finally:
        await app.state.router.dispose()
        await app.state.engine.dispose()


async def ran(port: int, database: str, pattern: str) -> int:
    """How many statements matching `pattern` (ILIKE) that server ran on the database since its last reset, by
    its own counter (pg_stat_statements: the standby counts what runs on it)."""
    rows = await sql(
        port,
        "SELECT coalesce(sum(s.calls), 0)::int FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid "
        "WHERE d.datname = $1 AND s.query ILIKE $2",
        database,
        pattern,
        database=database,
    )
    return rows[0][0]


async def catalog_reads(port: int, pair: Pair) -> int:
    return await ran(port, pair.database, "%FROM offers%")


async def writes(port: int, pair: Pair) -> int:
    return await ran(port, pair.database, "INSERT%") + await ran(port, pair.database, "UPDATE%")


async def reset_counters(pair: Pair, *ports: int) -> None:
    for port in ports or (pair.primary_port, pair.standby_port):
        await sql(port, "SELECT pg_stat_statements_reset()", database=pair.database)


async def test_query_on_the_standby_mutation_on_the_primary(pg_pair: Pair) -> None:
    await reset_counters(pg_pair)
    async with gateway(pg_pair) as gw:
        acme = await gw.as_user("buyer@acme.example")  # createToken: a mutation, on the primary
        await caught_up(pg_pair)  # the token is on the standby now
        assert await catalog_reads(pg_pair.standby_port, pg_pair) == 0

        resp = await gw.client.post("/graphql", json={"query": OFFERS}, headers=acme)
        assert resp.status_code == 200 and resp.json()["data"]["products"]["edges"], resp.text
        assert WAL_POSITION_HEADER not in resp.headers  # a query commits nothing
        assert await catalog_reads(pg_pair.standby_port, pg_pair) == 1
        assert await catalog_reads(pg_pair.primary_port, pg_pair) == 0

        offers = {
            v["sku"]: v["offers"][0]["id"]
            for e in resp.json()["data"]["products"]["edges"]
            for v in e["node"]["variants"]
            if v["offers"]
        }
        created = await gw.client.post(
            "/graphql",
            json={"query": CREATE, "variables": {"input": {"lines": [{"offerId": offers["STAPLER"], "quantity": 1}]}}},
            headers=acme,
        )
        body = created.json()
        assert body["data"]["createDraftOrder"]["errors"] == [], body
        # The primary ran the writes (a standby refuses them), and the answer says where its WAL stood.
        assert await writes(pg_pair.primary_port, pg_pair) >= 1
        assert await writes(pg_pair.standby_port, pg_pair) == 0
        primary_now = (await sql(pg_pair.primary_port, "SELECT pg_current_wal_lsn()::text"))[0][0]
        assert 0 < parse_lsn(created.headers[WAL_POSITION_HEADER]) <= parse_lsn(primary_now)

        health = (await gw.client.get("/health")).json()
        assert health["status"] == "ok"
        assert [r["state"] for r in health["replicas"]] == ["ok"]
        assert health["replicas"][0]["name"] == f"127.0.0.1:{pg_pair.standby_port}/{pg_pair.database}"


async def test_the_writer_reads_its_write_while_the_standby_is_paused(pg_pair: Pair) -> None:
    """Replay paused: the writer's next reads (same process: remembered; another process: the echoed header) go
    to the primary and see the new draft; a read without the position on another process is served by the
    standby, which does not have it yet; once replay resumes, the standby serves the writer too."""
    async with gateway(pg_pair) as one, gateway(pg_pair) as other:
        acme = await one.as_user("buyer@acme.example")
        globex = await one.as_user("buyer@globex.example")
        offers = {
            v["sku"]: v["offers"][0]["id"]
            for e in (await one.data(OFFERS, headers=acme))["products"]["edges"]
            for v in e["node"]["variants"]
            if v["offers"]
        }
        await caught_up(pg_pair)
        await sql(pg_pair.standby_port, "SELECT pg_wal_replay_pause()")
        try:
            lines = [{"offerId": offers["STAPLER"], "quantity": 1}]
            created = await one.client.post(
                "/graphql", json={"query": CREATE, "variables": {"input": {"lines": lines}}}, headers=acme
            )
            draft_id = created.json()["data"]["createDraftOrder"]["draftOrder"]["id"]
            position = created.headers[WAL_POSITION_HEADER]

            # Same process, no header: it remembers the caller's write.
            seen = await one.data(DRAFT, {"id": draft_id}, acme)
            assert seen["draftOrder"]["id"] == draft_id
            # Another process with the echoed position: the standby has not replayed it, so the primary answers.
            echoed = await other.data(DRAFT, {"id": draft_id}, {**acme, WAL_POSITION_HEADER: position})
            assert echoed["draftOrder"]["id"] == draft_id
            # Another process, no position: the paused standby answers, without the draft.
            stale = await other.post(DRAFT, {"id": draft_id}, acme)
            assert stale.status_code == 200 and stale.json()["data"]["draftOrder"] is None, stale.text
            # Another caller meanwhile reads the standby.
            await reset_counters(pg_pair)
            assert (await other.data(OFFERS, headers=globex))["products"]["edges"]
            assert await catalog_reads(pg_pair.standby_port, pg_pair) == 1
            assert await catalog_reads(pg_pair.primary_port, pg_pair) == 0
        finally:
            await sql(pg_pair.standby_port, "SELECT pg_wal_replay_resume()")
        await caught_up(pg_pair)
        await reset_counters(pg_pair)
        # Replayed: the standby serves the writer's echoed position.
        echoed = await other.data(DRAFT, {"id": draft_id}, {**acme, WAL_POSITION_HEADER: position})
        assert echoed["draftOrder"]["id"] == draft_id
        assert await ran(pg_pair.standby_port, pg_pair.database, "%FROM orders%") >= 1
        assert await ran(pg_pair.primary_port, pg_pair.database, "%FROM orders%") == 0


async def test_a_lagging_standby_is_skipped(pg_pair: Pair) -> None:
    async with gateway(pg_pair, replica_max_lag_seconds=0.5) as gw:
        acme = await gw.as_user("buyer@acme.example")
        await caught_up(pg_pair)
        assert [r["state"] for r in (await gw.client.get("/health")).json()["replicas"]] == ["ok"]
        await sql(pg_pair.standby_port, "SELECT pg_wal_replay_pause()")
        try:
            # A write the standby will not replay, then more than the allowed lag.
            await gw.as_user("buyer@globex.example")
            for _ in range(100):
                replicas = (await gw.client.get("/health")).json()["replicas"]
                if replicas[0]["state"] == "lagging":
                    break
                await _sleep(0.1)
            assert replicas[0]["state"] == "lagging" and replicas[0]["lagSeconds"] > 0.5, replicas
            await reset_counters(pg_pair)
            assert (await gw.data(OFFERS, headers=acme))["products"]["edges"]
            assert await catalog_reads(pg_pair.primary_port, pg_pair) == 1
            assert await catalog_reads(pg_pair.standby_port, pg_pair) == 0
        finally:
            await sql(pg_pair.standby_port, "SELECT pg_wal_replay_resume()")
        await caught_up(pg_pair)


async def test_a_stopped_standby_is_skipped(pg_pair: Pair) -> None:
    async with gateway(pg_pair) as gw:
        acme = await gw.as_user("buyer@acme.example")
        await caught_up(pg_pair)
        assert (await gw.data(OFFERS, headers=acme))["products"]["edges"]  # pools a standby connection
        pg_pair.run("stop-standby")
        try:
            # The pooled standby connection is dead and the standby refuses new ones: the primary answers.
            await reset_counters(pg_pair, pg_pair.primary_port)
            resp = await gw.post(OFFERS, headers=acme)
            assert resp.status_code == 200 and resp.json()["data"]["products"]["edges"], resp.text
            assert await catalog_reads(pg_pair.primary_port, pg_pair) == 1
            health = await gw.client.get("/health")
            assert health.status_code == 200
            assert [r["state"] for r in health.json()["replicas"]] == ["down"]
            # And keeps answering while the standby is away.
            for _ in range(3):
                assert (await gw.data(OFFERS, headers=acme))["products"]["edges"]
        finally:
            pg_pair.run("start-standby")
        await caught_up(pg_pair)
        for _ in range(100):
            if [r["state"] for r in (await gw.client.get("/health")).json()["replicas"]] == ["ok"]:
                break
            await _sleep(0.1)
        else:
            raise AssertionError("the standby did not come back")


async def _sleep(seconds: float) -> None:
    import asyncio

    await asyncio.sleep(seconds)
