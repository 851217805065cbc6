"""Throughput and latency of the main read and write paths, in process, over HTTP. Prints figures."""

from __future__ import annotations

import argparse
import asyncio
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
PRODUCTS = (
    "{ products(first: 50) { edges { node { name variants { sku offers { available price { amount } "
    "priceTiers { minQuantity } supplier { name } } } } } } }"
)


async def _timed(client: httpx.AsyncClient, payload: dict, headers: dict, n: int, concurrency: int) -> list[float]:
    latencies: list[float] = []
    sem = asyncio.Semaphore(concurrency)

    async def one(p: dict) -> None:
        async with sem:
            t0 = time.perf_counter()
            r = await client.post("/graphql", json=p, headers=headers)
            latencies.append(time.perf_counter() - t0)
            assert r.status_code == 200 and "errors" not in r.json(), r.text

    payloads = payload if isinstance(payload, list) else [payload] * n
    await asyncio.gather(*(one(p) for p in payloads))
    return latencies


def _report(name: str, latencies: list[float], elapsed: float) -> None:
    q = statistics.quantiles(latencies, n=20)
    print(
        f"{name:<34} {len(latencies) / elapsed:8.1f} req/s   p50 {statistics.median(latencies) * 1000:7.1f} ms"
        f"   p95 {q[18] * 1000:7.1f} ms   (n={len(latencies)})"
    )


async def main(url: str, n: int, concurrency: int) -> None:
    settings = Settings(database_url=url, env="production")
    engine = make_engine(settings)
    await upgrade(engine)
    await import_file(make_session_factory(engine), DEMO_FILE)
    await engine.dispose()
    app = create_app(settings)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://bench") as client:
        token = (
            await client.post(
                "/graphql",
                headers=HEADERS,
                json={
                    "query": "mutation { createToken(email: "
                    '"buyer@acme.example", password: "demo-password") { token } }'
                },
            )
        ).json()
        headers = {**HEADERS, "Authorization": f"Bearer {token['data']['createToken']['token']}"}
        t0 = time.perf_counter()
        lat = await _timed(client, {"query": PRODUCTS}, headers, n, concurrency)
        _report("products(first: 50)", lat, time.perf_counter() - t0)

        offers = (
            await client.post(
                "/graphql",
                headers=headers,
                json={"query": "{ products(first: 10) { edges { node { variants { sku offers { id } } } } } }"},
            )
        ).json()["data"]["products"]["edges"]
        notebook = next(v["offers"][0]["id"] for e in offers for v in e["node"]["variants"] if v["sku"] == "NOTEBOOK")
        create = (
            'mutation($o: ID!) { createDraftOrder(input: {shippingAddressId: "ACME-HQ", billingAddressId: '
            '"ACME-HQ", lines: [{offerId: $o, quantity: 1}]}) { draftOrder { id } } }'
        )
        drafts = []
        for _ in range(n):
            r = await client.post("/graphql", headers=headers, json={"query": create, "variables": {"o": notebook}})
            drafts.append(r.json()["data"]["createDraftOrder"]["draftOrder"]["id"])
        read = (
            "query($id: ID!) { draftOrder(id: $id) { version lines { quantity unitPrice { amount } } issues "
            "{ code } total { amount } } }"
        )
        t0 = time.perf_counter()
        lat = await _timed(client, [{"query": read, "variables": {"id": d}} for d in drafts], headers, n, concurrency)
        _report("draftOrder read", lat, time.perf_counter() - t0)
        place = "mutation($id: ID!) { placeDraftOrder(id: $id) { order { id } errors { code } } }"
        t0 = time.perf_counter()
        lat = await _timed(client, [{"query": place, "variables": {"id": d}} for d in drafts], headers, n, concurrency)
        _report(f"placeDraftOrder (concurrency {concurrency})", lat, time.perf_counter() - t0)
    await app.state.engine.dispose()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url")
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite+aiosqlite:///{Path(tmp) / 'bench.db'}"
        asyncio.run(main(url, args.requests, args.concurrency))
