"""No oversell with several gateway processes on one database: two real `commerce-gateway serve` processes,
placements sent to both at once over TCP."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from collections.abc import Iterator

import httpx
import pytest
from sqlalchemy import select

from app.models import Offer
from tests.support.documents import PLACE, offer_ids, ready_draft
from tests.support.gateway import Gateway
from tests.support.ports import free_port
from tests.support.users import extra_buyers

pytestmark = pytest.mark.slow


@pytest.fixture
def two_gateways(database_url: str) -> Iterator[list[str]]:
    env = {**os.environ, "GATEWAY_DATABASE_URL": database_url, "GATEWAY_ENV": "production"}
    ports = [free_port(), free_port()]
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "app.cli", "serve", "--port", str(p)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for p in ports
    ]
    urls = [f"http://127.0.0.1:{p}" for p in ports]
    try:
        for url in urls:
            for _ in range(200):
                try:
                    if httpx.get(f"{url}/health").status_code == 200:
                        break
                except httpx.TransportError:
                    time.sleep(0.05)
            else:
                pytest.fail(f"gateway at {url} did not start")
        yield urls
    finally:
        for proc in procs:
            proc.terminate()
            proc.wait(timeout=10)


async def test_no_oversell_across_two_processes(gw: Gateway, two_gateways: list[str]) -> None:
    buyers = await extra_buyers(gw, 12)
    offers = await offer_ids(gw, buyers[0])
    drafts = [await ready_draft(gw, h, offers, "STAPLER", 1) for h in buyers]
    async with httpx.AsyncClient(timeout=60) as client:
        responses = await asyncio.gather(
            *(
                client.post(
                    f"{two_gateways[i % 2]}/graphql", json={"query": PLACE, "variables": {"id": d["id"]}}, headers=h
                )
                for i, (d, h) in enumerate(zip(drafts, buyers, strict=True))
            )
        )
    payloads = [r.json()["data"]["placeDraftOrder"] for r in responses]
    placed = [p for p in payloads if p["errors"] == []]
    refused = [p for p in payloads if [e["code"] for e in p["errors"]] == ["INSUFFICIENT_STOCK"]]
    assert (len(placed), len(refused)) == (5, 7)
    async with gw.session_factory() as s:
        assert await s.scalar(select(Offer.stock).where(Offer.id == offers["STAPLER"])) == 0


async def test_one_key_from_two_processes_gives_one_result(gw: Gateway, two_gateways: list[str]) -> None:
    """The same idempotency key sent 8 times at once to two processes: one placement, one stock reservation,
    and every answer names the same order."""
    acme = await gw.as_user("buyer@acme.example")
    offers = await offer_ids(gw, acme)
    draft = await ready_draft(gw, acme, offers, "STAPLER", 2)
    body = {"query": PLACE, "variables": {"id": draft["id"], "input": {"idempotencyKey": "same-key"}}}
    async with httpx.AsyncClient(timeout=60) as client:
        responses = await asyncio.gather(
            *(client.post(f"{two_gateways[i % 2]}/graphql", json=body, headers=acme) for i in range(8))
        )
    payloads = [r.json()["data"]["placeDraftOrder"] for r in responses]
    assert all(p["errors"] == [] for p in payloads), payloads
    assert {p["order"]["id"] for p in payloads} == {draft["id"]}
    async with gw.session_factory() as s:
        assert await s.scalar(select(Offer.stock).where(Offer.id == offers["STAPLER"])) == 3
