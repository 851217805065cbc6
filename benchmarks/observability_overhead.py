"""Overhead of the request log line + metrics on a hot query: the same app with and without them, one run.

Both apps share one database; rounds alternate between them so that machine drift hits both alike. Prints
requests per second of each and the ratio. Target: overhead < 10 %.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import statistics
import tempfile
import time
from pathlib import Path

import httpx

from app.asgi import create_app
from app.cli import DEMO_FILE
from app.db import make_engine, make_session_factory
from app.migrate import upgrade
from app.services.importer import import_file
from app.settings import Settings

HEADERS = {"dj-api-key": "demo-tenant-key", "dj-client": "ACCOUNT"}
QUERIES = {
    "products(first: 5) with offers": "query Shelf { products(first: 5) { edges { node { name variants { sku "
    "offers { price { amount } } } } } } }",
    "viewer (smallest request)": "query Who { viewer { store { externalId } } }",
}


async def _round(client: httpx.AsyncClient, query: str, n: int) -> float:
    t0 = time.perf_counter()
    for _ in range(n):
        r = await client.post("/graphql", json={"query": query}, headers=HEADERS)
        assert r.status_code == 200 and "errors" not in r.json(), r.text
    return n / (time.perf_counter() - t0)


async def main(url: str, n: int, rounds: int) -> None:
    settings = Settings(database_url=url, env="production", metrics=True, log_format="json")
    engine = make_engine(settings)
    await upgrade(engine)
    await import_file(make_session_factory(engine), DEMO_FILE)
    await engine.dispose()
    observed, bare = create_app(settings), create_app(settings, observe=False)
    # The log lines go where production sends them (a stream), here to /dev/null: formatting is measured.
    logging.getLogger().handlers[-1].setStream(open("/dev/null", "w"))  # noqa: SIM115, ASYNC230
    clients = {
        name: httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://bench")
        for name, app in (("observed", observed), ("bare", bare))
    }
    print(f"{rounds} alternating rounds of {n} sequential requests per query and app")
    for label, query in QUERIES.items():
        rates: dict[str, list[float]] = {"observed": [], "bare": []}
        for client in clients.values():  # warm-up: caches, connections
            await _round(client, query, max(5, n // 10))
        for i in range(rounds):
            for name in ("observed", "bare") if i % 2 == 0 else ("bare", "observed"):
                rates[name].append(await _round(clients[name], query, n))
        med = {k: statistics.median(v) for k, v in rates.items()}
        ratio = med["observed"] / med["bare"]
        print(
            f"  {label:<32} without {med['bare']:7.1f} req/s, with {med['observed']:7.1f} req/s: "
            f"ratio {ratio:.3f} (overhead {1 - ratio:.1%})"
        )
    for client in clients.values():
        await client.aclose()
    await observed.state.engine.dispose()
    await bare.state.engine.dispose()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url")
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=6)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = args.database_url or f"sqlite+aiosqlite:///{Path(tmp) / 'bench.db'}"
        asyncio.run(main(db, args.requests, args.rounds))
