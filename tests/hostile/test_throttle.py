"""Sign-in throttling holds across processes: 200 wrong passwords for one email from 8 connections against
2 gateway processes reach the password check at most 20 times; the right password works after the
backoff; an unknown email is throttled alike; one client address is throttled across emails."""

from __future__ import annotations

import asyncio
import collections
import time

import httpx
import pytest

from tests.support.gateway import API_KEY, PASSWORD, Gateway
from tests.support.servers import gateways

LOGIN = "mutation($e: String!, $p: String!) { createToken(email: $e, password: $p) { token errors { code message } } }"
HEADERS = {"dj-api-key": API_KEY, "dj-client": "ACCOUNT"}


async def _storm(urls: list[str], email: str, total: int = 200, connections: int = 8) -> dict:
    """`total` wrong passwords over `connections` keep-alive connections, alternating between processes."""
    codes: collections.Counter = collections.Counter()
    retry_after: list[int] = []
    durations: dict[str, list[float]] = collections.defaultdict(list)
    queue = list(range(total))

    async def worker(n: int) -> None:
        async with httpx.AsyncClient(base_url=urls[n % len(urls)], timeout=60) as client:
            while queue:
                queue.pop()
                start = time.perf_counter()
                resp = await client.post(
                    "/graphql", json={"query": LOGIN, "variables": {"e": email, "p": "wrong"}}, headers=HEADERS
                )
                payload = resp.json()["data"]["createToken"]
                code = payload["errors"][0]["code"]
                codes[code] += 1
                durations[code].append(time.perf_counter() - start)
                if code == "RATE_LIMITED":
                    retry_after.append(int(resp.headers["Retry-After"]))

    await asyncio.gather(*(worker(n) for n in range(connections)))
    return {"codes": codes, "retry_after": retry_after, "durations": durations}


@pytest.mark.slow
async def test_guessing_is_throttled_across_two_processes(database_url: str) -> None:
    with gateways(database_url, 2) as urls:
        known = await _storm(urls, "buyer@acme.example")
        unknown = await _storm(urls, "nobody@acme.example")
        print(f"known email: {dict(known['codes'])}; unknown email: {dict(unknown['codes'])}")
        for result in (known, unknown):
            assert set(result["codes"]) == {"INVALID_CREDENTIALS", "RATE_LIMITED"}
            assert result["codes"]["INVALID_CREDENTIALS"] <= 20  # reached the password check
            assert sum(result["codes"].values()) == 200
        # Alike: within one run, the two storms are answered the same way (counts within a couple).
        assert abs(known["codes"]["INVALID_CREDENTIALS"] - unknown["codes"]["INVALID_CREDENTIALS"]) <= 3
        # After the backoff the right password works, on either process.
        await asyncio.sleep(max(known["retry_after"][-3:]) + 0.5)
        async with httpx.AsyncClient(base_url=urls[1], timeout=60) as client:
            for _ in range(20):  # the backoff may have grown while the last guesses arrived
                resp = await client.post(
                    "/graphql",
                    json={"query": LOGIN, "variables": {"e": "buyer@acme.example", "p": PASSWORD}},
                    headers=HEADERS,
                )
                payload = resp.json()["data"]["createToken"]
                if payload["token"] or payload["errors"][0]["code"] != "RATE_LIMITED":
                    break
                await asyncio.sleep(int(resp.headers["Retry-After"]))
        assert payload["token"] and payload["errors"] == [], payload


async def test_rate_limited_answer_and_address_throttle(gw: Gateway) -> None:
    async def login(email: str, password: str = "wrong") -> tuple[dict, httpx.Response]:
        resp = await gw.post(LOGIN, {"e": email, "p": password}, gw.headers())
        return resp.json()["data"]["createToken"], resp

    answers = [await login("buyer@acme.example") for _ in range(4)]
    assert [a["errors"][0]["code"] for a, _ in answers] == ["INVALID_CREDENTIALS"] * 3 + ["RATE_LIMITED"]
    limited, resp = answers[-1]
    assert resp.status_code == 200 and int(resp.headers["Retry-After"]) >= 1
    assert limited["token"] is None and "retry in" in limited["errors"][0]["message"]
    # unknown email: the very same answers
    unknown = [await login("nobody@acme.example") for _ in range(4)]
    assert [(a["errors"], a["token"]) for a, _ in unknown] == [(a["errors"], a["token"]) for a, _ in answers]
    # one address guessing across many emails is stopped by the per-address counter
    codes = [(await login(f"user{i}@acme.example"))[0]["errors"][0]["code"] for i in range(20)]
    # 6 address failures above, 20 free per address: 14 more reach the check, then the address waits
    assert codes.count("INVALID_CREDENTIALS") == 14 and codes[-1] == "RATE_LIMITED", codes
