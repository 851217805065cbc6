"""A primary failover survived: two real `serve` processes pointed at both hosts (a libpq-style multi-host URL
with `target_session_attrs=read-write`, the standby also their read replica) take placements and reads; the
primary is stopped with `pg_ctl stop -m immediate` mid-load and the standby promoted. Afterwards every order
answered as placed is on the new primary, no idempotency key placed twice, stock + sold = initial, and the
time to recover is measured and printed (docs/deployment.md quotes it).

The standby is synchronous (PG_REPLICA_SYNC=1): a commit is answered only once the standby has it, so the
promotion loses no acknowledged commit. When these tests run: tests/support/pg_replica.py."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator

import httpx
import pytest

from app.asgi import create_app
from app.settings import Settings
from tests.support.documents import OFFERS, PLACE, offer_ids, ready_draft
from tests.support.gateway import Gateway
from tests.support.pg_replica import Pair, require_pair, sql, started_pair
from tests.support.servers import gateways
from tests.support.users import extra_buyers

# Its own worker (pytest-xdist --dist loadgroup): the replica tests start another pair meanwhile.
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("pg_failover")]

DRAFTS_PER_BUYER, BUYERS, INITIAL_STOCK = 8, 4, 1000
SOLD = (
    "SELECT coalesce(sum(l.quantity), 0)::int FROM order_lines l JOIN orders o ON o.id = l.order_id "
    "WHERE l.offer_id = $1 AND o.placed_at IS NOT NULL"
)


@pytest.fixture
def sync_pair() -> Iterator[Pair]:
    require_pair()
    with started_pair(synchronous=True) as pair:
        yield pair


def _unavailable(resp: httpx.Response) -> bool:
    if resp.status_code == 503:
        return True
    errors = resp.json().get("errors") or []
    return any((e.get("extensions") or {}).get("code") == "SERVICE_UNAVAILABLE" for e in errors)


async def test_primary_failover_under_load(sync_pair: Pair) -> None:
    pair = sync_pair
    # Set-up on the primary, in process: buyers, their placeable drafts, plenty of stock.
    settings = Settings(database_url=pair.primary_url, env="test")
    app = create_app(settings)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://gateway.test") as client:
        gw = Gateway(app=app, client=client, settings=settings)
        buyers = await extra_buyers(gw, BUYERS)
        offers = await offer_ids(gw, buyers[0])
        stapler = offers["STAPLER"]
        db = pair.database
        await sql(pair.primary_port, "UPDATE offers SET stock = $1 WHERE id = $2", INITIAL_STOCK, stapler, database=db)
        sold_before = (await sql(pair.primary_port, SOLD, stapler, database=db))[0][0]
        drafts = [
            (h, (await ready_draft(gw, h, offers, "STAPLER", 1))["id"]) for h in buyers for _ in range(DRAFTS_PER_BUYER)
        ]
    await app.state.engine.dispose()

    env = {
        "GATEWAY_DATABASE_REPLICA_URLS": pair.standby_url,
        "GATEWAY_REPLICA_CHECK_SECONDS": "0.5",
        "GATEWAY_DB_CONNECT_TIMEOUT_SECONDS": "3",
    }
    with gateways(pair.failover_url, 2, **env) as urls:
        placed: dict[str, dict] = {}  # idempotency key -> the order answered
        refused: dict[str, list] = {}
        successes: list[tuple[float, str, str]] = []  # (when, url, kind)
        failures: list[tuple[float, str, str]] = []
        events: dict[str, float] = {}
        load_done, warmed_up = asyncio.Event(), asyncio.Event()

        async def place(client: httpx.AsyncClient, n: int, headers: dict, draft_id: str) -> None:
            url, key = urls[n % 2], f"failover-{n}"
            body = {"query": PLACE, "variables": {"id": draft_id, "input": {"idempotencyKey": key}}}
            deadline = time.monotonic() + 90
            while time.monotonic() < deadline:
                try:
                    resp = await client.post(f"{url}/graphql", json=body, headers=headers)
                except httpx.TransportError:
                    resp = None
                if resp is None or _unavailable(resp):
                    failures.append((time.monotonic(), url, "place"))
                    await asyncio.sleep(0.1)
                    continue  # the same key again: one order whatever happened before
                assert resp.status_code == 200, resp.text
                payload = resp.json()["data"]["placeDraftOrder"]
                successes.append((time.monotonic(), url, "place"))
                if payload["errors"]:
                    refused[key] = payload["errors"]
                else:
                    placed[key] = payload["order"]
                if len(placed) + len(refused) >= 8:
                    warmed_up.set()
                return
            raise AssertionError(f"placement {key} never answered")

        async def placements(client: httpx.AsyncClient) -> None:
            queue = list(enumerate(drafts))
            running: set[asyncio.Task] = set()
            while queue or running:
                while queue and len(running) < 4:
                    n, (headers, draft_id) = queue.pop(0)
                    running.add(asyncio.create_task(place(client, n, headers, draft_id)))
                    await asyncio.sleep(0.05)  # spread over time, so the load spans the failover
                done, running = await asyncio.wait(running, return_when=asyncio.FIRST_COMPLETED)
                for task in done:
                    task.result()

        async def reads(client: httpx.AsyncClient, url: str) -> None:
            while not load_done.is_set():
                try:
                    resp = await client.post(f"{url}/graphql", json={"query": OFFERS}, headers=buyers[0])
                    ok = resp.status_code == 200 and not resp.json().get("errors")
                except httpx.TransportError:
                    ok = False
                (successes if ok else failures).append((time.monotonic(), url, "read"))
                await asyncio.sleep(0.05)

        async def failover() -> None:
            await warmed_up.wait()
            events["stopped"] = time.monotonic()
            await asyncio.to_thread(pair.run, "stop-primary")
            await asyncio.sleep(1.0)  # a failure detector's delay, then the promotion
            events["promoting"] = time.monotonic()
            await asyncio.to_thread(pair.run, "promote")
            events["promoted"] = time.monotonic()

        async with httpx.AsyncClient(timeout=30) as client:
            readers = [asyncio.create_task(reads(client, url)) for url in urls]
            switching = asyncio.create_task(failover())
            await placements(client)
            await switching
            # Reads and placements keep succeeding on both processes after the promotion.
            await asyncio.sleep(1.0)
            load_done.set()
            await asyncio.gather(*readers)

        stopped, promoted = events["stopped"], events["promoted"]
        assert len(placed) + len(refused) == len(drafts)
        assert refused == {}, refused
        assert any(t > stopped and t < events["promoting"] for t, _, _ in failures), "the failover went unnoticed"
        lines = []
        for url in urls:
            for kind in ("place", "read"):
                after = [t for t, u, k in successes if u == url and k == kind and t > promoted]
                failed_after = [t for t, u, k in failures if u == url and k == kind and t > promoted]
                assert after, f"no {kind} succeeded on {url} after the promotion"
                # From the promotion on, each process reconnects to the new primary without a restart, and its
                # requests succeed again within a bounded time.
                last_failure = max(failed_after, default=promoted)
                assert last_failure - promoted < 30, (kind, url, last_failure - promoted)
                first_after_stop = min(t for t, u, k in successes if u == url and k == kind and t > stopped)
                lines.append(
                    f"{kind} on process {urls.index(url) + 1}: first success {first_after_stop - stopped:.2f} s after "
                    f"the stop, last failure {max(0.0, last_failure - promoted):.2f} s after the promotion"
                )
        print(
            f"\nfailover: primary stopped (pg_ctl stop -m immediate), standby promoted {promoted - stopped:.2f} s "
            f"later (1 s detection delay + pg_ctl promote -w); {len(failures)} unavailable answers during the "
            "outage, retried by the clients;\n  " + "\n  ".join(lines)
        )

    # The new primary (the promoted standby) has every order answered as placed, each key placed once, and
    # stock + sold = initial.
    assert (await sql(pair.standby_port, "SELECT pg_is_in_recovery()"))[0][0] is False
    ids = [order["id"] for order in placed.values()]
    assert len(set(ids)) == len(ids) == len(drafts)
    found = await sql(
        pair.standby_port,
        "SELECT count(*) FROM orders WHERE id = ANY($1::text[]) AND placed_at IS NOT NULL",
        ids,
        database=pair.database,
    )
    assert found[0][0] == len(ids)
    sold = (await sql(pair.standby_port, SOLD, stapler, database=pair.database))[0][0] - sold_before
    stock = await sql(pair.standby_port, "SELECT stock FROM offers WHERE id = $1", stapler, database=pair.database)
    assert sold == len(drafts)
    assert stock[0][0] + sold == INITIAL_STOCK
