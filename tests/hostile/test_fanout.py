"""Documents of a few hundred bytes that expand to millions of fields are refused before validation, in time
linear in their size, while the same single-worker process keeps answering /health."""

from __future__ import annotations

import asyncio
import statistics
import time

import httpx
import pytest
from graphql import parse

from app.schema import schema
from app.schema.docs import served_graphql_schema
from app.schema.limits import check_document
from app.settings import Settings
from tests.support.gateway import API_KEY
from tests.support.servers import gateways

HEADERS = {"dj-api-key": API_KEY, "dj-client": "ACCOUNT"}


def fan_out(spreads: int, levels: int) -> str:
    """`fragment Fi on Query { ...Fi+1 ...Fi+1 }`: spreads ** levels copies of the leaf."""
    fragments = [f"fragment F{i} on Query {{ {' '.join([f'...F{i + 1}'] * spreads)} }}" for i in range(levels)]
    fragments.append(f"fragment F{levels} on Query {{ __typename }}")
    return "{ ...F0 }\n" + "\n".join(fragments)


SHAPES = {"2^22": fan_out(2, 22), "10x8": fan_out(10, 8), "5x12": fan_out(5, 12)}


def test_fan_out_measured_not_expanded() -> None:
    settings = Settings()
    for name, spreads, levels in (("2^22", 2, 22), ("10x8", 10, 8), ("5x12", 5, 12)):
        reason = check_document(served_graphql_schema(schema), parse(SHAPES[name]), settings)
        assert reason == f"{spreads**levels} fields after fragment expansion exceed the limit of {settings.max_fields}"
    cycle = parse("{ ...A } fragment A on Query { ...B } fragment B on Query { ...A }")
    assert "fragment cycle" in check_document(served_graphql_schema(schema), cycle, settings)


async def _timed_post(client: httpx.AsyncClient, url: str, query: str) -> tuple[float, httpx.Response]:
    start = time.perf_counter()
    resp = await client.post(f"{url}/graphql", json={"query": query}, headers=HEADERS)
    return time.perf_counter() - start, resp


@pytest.mark.slow
async def test_fan_out_refused_quickly_while_health_answers(database_url: str) -> None:
    with gateways(database_url) as (url,):
        async with httpx.AsyncClient(timeout=60) as client:
            baseline = [(await _timed_post(client, url, "{ __typename }"))[0] for _ in range(10)]
            figures = {}
            for name, query in SHAPES.items():
                times = []
                for _ in range(5):
                    seconds, resp = await _timed_post(client, url, query)
                    body = resp.json()
                    assert resp.status_code == 200 and body["data"] is None, resp.text
                    assert body["errors"][0]["extensions"]["code"] == "BAD_REQUEST"
                    assert "fragment expansion" in body["errors"][0]["message"]
                    times.append(seconds)
                figures[name] = statistics.median(times)
            # Twenty fan-outs at once and /health in the middle of them: the process never stalls.
            storm = [asyncio.create_task(_timed_post(client, url, q)) for q in list(SHAPES.values()) * 7]
            health = await client.get(f"{url}/health")
            results = await asyncio.gather(*storm)
        assert health.status_code == 200
        assert all(r.json()["errors"][0]["extensions"]["code"] == "BAD_REQUEST" for _, r in results)
        base = statistics.median(baseline)
        print(f"refuse medians (s): {figures}; trivial query: {base:.4f}")
        # Timing as a ratio within one run: refusing costs about what a trivial query costs.
        assert all(t < 20 * base + 0.05 for t in figures.values()), (figures, base)
