"""The execution fast path alone (app/schema/execution.py): the same gateway with it on and off, same run.

    python benchmarks/fast_path.py                         # SQLite, 8 ABBA rounds of 3 s per cell
    python benchmarks/fast_path.py --db postgresql --rounds 8 --seconds 3

Builds one fresh database (as benchmarks/suite.py: migrations, demo data, 30 placed orders), starts two
`commerce-gateway serve --workers 1` on it, one with GATEWAY_FAST_EXECUTION=true and one with false
(production settings otherwise), and the raw reference of W3. One closed-loop client. Each round runs, for
W3 (an operator's `orders(first: 20)` with lines) and for the catalog read (a buyer's `products(first: 50)`
with offers, prices, stock, pack sizes and price tiers): on, off, raw (W3 only), in ABBA order (on first in
even rounds, off first in odd ones), so a drift of the shared machine weighs on both alike. Prints req/s per
cell summed over the rounds, the on / off ratio, and W3's GraphQL / raw with and without the fast path; the
per-round on / off ratios show the spread.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import statistics
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks import suite  # noqa: E402
from benchmarks import workloads as wl  # noqa: E402


@contextlib.contextmanager
def servers(url: str) -> Iterator[dict[str, str]]:
    """Base URLs: "on" and "off" (gateways differing only in GATEWAY_FAST_EXECUTION) and "raw"."""
    procs: list[subprocess.Popen] = []
    bases: dict[str, str] = {}
    try:
        for name, flag in (("on", "true"), ("off", "false")):
            port = suite.free_port()
            env = {**suite.server_env(url), "GATEWAY_FAST_EXECUTION": flag}
            cmd = [sys.executable, "-m", "app.cli", "serve", "--port", str(port), "--workers", "1"]
            procs.append(subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL))
            bases[name] = f"http://127.0.0.1:{port}"
        port = suite.free_port()
        cmd = [
            sys.executable, "-m", "uvicorn", "benchmarks.raw_reference:create_app", "--factory", "--port", str(port),
            "--workers", "1", "--loop", "uvloop", "--http", "httptools", "--no-access-log", "--log-level", "warning",
        ]  # fmt: skip
        procs.append(subprocess.Popen(cmd, cwd=ROOT, env=suite.server_env(url), stdout=subprocess.DEVNULL))
        bases["raw"] = f"http://127.0.0.1:{port}"
        suite.wait_ready([bases["on"] + "/health", bases["off"] + "/health"], [bases["raw"] + "/raw/w3"], procs)
        yield bases
    finally:
        suite.stop_all(procs)


async def timed(step: Callable[[], Awaitable[None]], seconds: float) -> tuple[int, float]:
    """(requests, seconds) of one closed-loop client running `step` for `seconds`."""
    done, t0 = 0, time.perf_counter()
    while time.perf_counter() - t0 < seconds:
        await step()
        done += 1
    return done, time.perf_counter() - t0


async def measure(url: str, rounds: int, seconds: float) -> dict[str, list[tuple[int, float]]]:
    cells: dict[str, list[tuple[int, float]]] = {}
    with servers(url) as bases:
        async with httpx.AsyncClient(timeout=120) as http:
            buyer = wl.headers(await suite.token(http, bases["on"], wl.BUYER))
            operator = wl.headers(await suite.token(http, bases["on"], wl.OPERATOR), client="OPERATOR")
            probe = suite.Session(http, [bases["on"]], 0, buyer)
            offers = wl.offer_map((await probe.post(wl.OFFERS))["data"])
            for _ in range(suite.SEED_ORDERS):
                await suite.w2_flow(probe, offers)

            async def post(base: str, query: str, headers: dict) -> dict:
                r = await http.post(base + "/graphql", json={"query": query}, headers=headers)
                body = r.json()
                if r.status_code != 200 or body.get("errors"):
                    raise RuntimeError(f"{r.status_code}: {r.text[:300]}")
                return body["data"]

            async def raw_w3() -> None:
                (await http.post(bases["raw"] + "/raw/w3", headers=operator)).raise_for_status()

            # Same answers from both gateways (and the raw reference for W3) before any timing.
            for query, headers in ((wl.W3_ORDERS, operator), (wl.CATALOG, buyer)):
                if await post(bases["on"], query, headers) != await post(bases["off"], query, headers):
                    raise AssertionError(f"the fast path changes the answer to {query}")
            raw_body = (await http.post(bases["raw"] + "/raw/w3", headers=operator)).json()["data"]
            if raw_body != await post(bases["on"], wl.W3_ORDERS, operator):
                raise AssertionError("raw reference payload differs from GraphQL")

            def step(side: str, query: str, headers: dict) -> Callable[[], Awaitable[None]]:
                async def run() -> None:
                    await post(bases[side], query, headers)

                return run

            plan = {
                ("W3", "on"): step("on", wl.W3_ORDERS, operator),
                ("W3", "off"): step("off", wl.W3_ORDERS, operator),
                ("catalog", "on"): step("on", wl.CATALOG, buyer),
                ("catalog", "off"): step("off", wl.CATALOG, buyer),
            }
            for run in (*plan.values(), raw_w3):  # warm-up: caches, connections
                await timed(run, min(1.0, seconds / 2))
            for i in range(rounds):
                sides = ("on", "off") if i % 2 == 0 else ("off", "on")
                for workload in ("W3", "catalog"):
                    for side in sides:
                        cells.setdefault(f"{workload} {side}", []).append(await timed(plan[workload, side], seconds))
                    if workload == "W3":
                        cells.setdefault("W3 raw", []).append(await timed(raw_w3, seconds))
    return cells


def rate(samples: list[tuple[int, float]]) -> float:
    return sum(n for n, _ in samples) / sum(s for _, s in samples)


def report(cells: dict[str, list[tuple[int, float]]], db: str) -> list[str]:
    lines = [f"{db}: requests per second, one client, {len(cells['W3 on'])} ABBA rounds"]
    for workload in ("W3", "catalog"):
        on, off = rate(cells[f"{workload} on"]), rate(cells[f"{workload} off"])
        pairs = zip(cells[f"{workload} on"], cells[f"{workload} off"], strict=True)
        per_round = [(a[0] / a[1]) / (b[0] / b[1]) for a, b in pairs]
        spread = f"per round {min(per_round):.2f}..{max(per_round):.2f}, median {statistics.median(per_round):.2f}"
        lines.append(f"  {workload}: on {on:.1f}, off {off:.1f}, on / off = {on / off:.2f} ({spread})")
    raw = rate(cells["W3 raw"])
    on, off = rate(cells["W3 on"]), rate(cells["W3 off"])
    lines.append(f"  W3 GraphQL / raw: on {on / raw:.2f}, off {off / raw:.2f} (raw {raw:.1f} req/s)")
    return lines


async def main(args: argparse.Namespace) -> None:
    for db in args.db:
        async with suite.database(db) as url:
            await suite.build(url)
            cells = await measure(url, args.rounds, args.seconds)
        print("\n".join(report(cells, db)), flush=True)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", action="append", choices=["sqlite", "postgresql"])
    parser.add_argument("--rounds", type=int, default=8, help="ABBA rounds (even: on first; odd: off first)")
    parser.add_argument("--seconds", type=float, default=3.0, help="measured time per cell and round")
    arguments = parser.parse_args()
    arguments.db = arguments.db or ["sqlite"]
    asyncio.run(main(arguments))
