"""W4 (issue 23) measured two ways, each as ratios within one run (ABBA rounds, one fresh database):

    python benchmarks/catalog_bench.py before-after --base /tmp/gw-base [--db sqlite] [--clients 1 --clients 16]
        the gateway served from another checkout (`git worktree add --detach /tmp/gw-base <commit>`) against this
        one, on the same database: W4 and W4S, new / base.
    python benchmarks/catalog_bench.py demo [--db postgresql] [--clients 1 --clients 16]
        this gateway on two databases, the 6-product demo catalog and the demo plus 1,000 generated products:
        W4 with 6 products against W4 with 50, throughput 50 / 6.
    python benchmarks/catalog_bench.py analyze [--db postgresql]
        this gateway on two databases with the same generated catalog, one without the planner's statistics
        (as built on a server without autovacuum) and one after `ANALYZE`: analyzed / not analyzed.
    python benchmarks/catalog_bench.py clients [--db sqlite] [--clients 16] [--rounds 8]
        one gateway, one database: W4 and W4S at one client against N clients in alternating rounds,
        throughput N / 1 (issue 23, scope 3: "16 clients at least as fast as one").

Both servers run at once (`serve --workers 1`, production settings); in each round both are measured one after
the other, the first of the pair alternating (A B, B A, ...), so that the machine's drift weighs on both alike.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks import suite  # noqa: E402
from benchmarks import workloads as wl  # noqa: E402


@contextlib.contextmanager
def gateway(url: str, tree: Path, **extra_env: str) -> Iterator[str]:
    port = suite.free_port()
    # Pools of 10 plus 10 overflow: room for 16 clients, and two gateways within a shared server's connections.
    env = suite.server_env(url) | {"PYTHONPATH": str(tree), "GATEWAY_DB_POOL_SIZE": "10"} | extra_env
    cmd = [sys.executable, "-m", "app.cli", "serve", "--port", str(port), "--workers", "1"]
    proc = subprocess.Popen(cmd, cwd=tree, env=env, stdout=subprocess.DEVNULL)
    try:
        base = f"http://127.0.0.1:{port}"
        suite.wait_ready([base + "/health"], [], [proc])
        yield base
    finally:
        suite.stop_all([proc])


async def measure(http: httpx.AsyncClient, base: str, headers: dict, query: str, variables: dict, clients: int,
                  seconds: float) -> tuple[int, float, list[float]]:  # fmt: skip
    sessions = [suite.Session(http, [base], i, headers) for i in range(clients)]

    async def step(s: suite.Session) -> None:
        await s.post(query, variables)

    units, took, latencies, failures = await suite.run_cell("W4", sessions, step, seconds, 0)
    if failures > max(2, units // 100):  # a stray transport error is shown (stderr) and not counted
        raise RuntimeError(f"{failures} failures at {base}")
    return units, took, latencies


async def compare_clients(base: str, many: int, rounds: int, seconds: float) -> None:
    """The same gateway at one client and at `many`, alternating which goes first in each round."""
    limits = suite.CLIENT_LIMITS
    async with httpx.AsyncClient(timeout=120, limits=limits) as http:
        acme = wl.headers(await suite.token(http, base, wl.BUYER))
        globex = wl.headers(await suite.token(http, base, wl.W4_SEARCH_BUYER))
        shapes = {"W4": (acme, wl.W4_CATALOG, {}), "W4S": (globex, wl.W4_SEARCH, wl.w4_search_variables())}
        print(f"| shape | 1 client req/s | {many} clients req/s | {many} / 1 | p50 ms 1, {many} | per-round ratios |")
        print("|---|---|---|---|---|---|")
        for shape, (headers, query, variables) in shapes.items():
            totals = {n: [0, 0.0, []] for n in (1, many)}
            per_round = []
            for r in range(rounds):
                rates = {}
                for n in (1, many) if r % 2 == 0 else (many, 1):
                    units, took, lat = await measure(http, base, headers, query, variables, n, seconds)
                    totals[n][0] += units
                    totals[n][1] += took
                    totals[n][2] += lat
                    rates[n] = units / took
                per_round.append(rates[many] / rates[1])
            one, lots = (totals[n][0] / totals[n][1] for n in (1, many))
            p50one, p50lots = (statistics.median(totals[n][2]) * 1000 for n in (1, many))
            spread = ", ".join(f"{x:.2f}" for x in per_round)
            print(f"| {shape} | {one:.1f} | {lots:.1f} | {lots / one:.2f} | {p50one:.1f}, {p50lots:.1f} | {spread} |",
                  flush=True)  # fmt: skip


async def compare(
    label_a: str, base_a: str, label_b: str, base_b: str, clients: list[int], rounds: int, seconds: float
) -> None:
    limits = suite.CLIENT_LIMITS
    async with httpx.AsyncClient(timeout=120, limits=limits) as http:
        shapes = []
        for base in (base_a, base_b):
            acme = wl.headers(await suite.token(http, base, wl.BUYER))
            globex = wl.headers(await suite.token(http, base, wl.W4_SEARCH_BUYER))
            shapes.append({"W4": (acme, wl.W4_CATALOG, {}), "W4S": (globex, wl.W4_SEARCH, wl.w4_search_variables())})
        print(f"| shape | clients | {label_a} req/s | {label_b} req/s | {label_b} / {label_a} | p50 ms {label_a}, "
              f"{label_b} | per-round ratios |")  # fmt: skip
        print("|---|---|---|---|---|---|---|")
        for shape in ("W4", "W4S"):
            for n in clients:
                totals = {0: [0, 0.0, []], 1: [0, 0.0, []]}
                per_round = []
                for r in range(rounds):
                    order = (0, 1) if r % 2 == 0 else (1, 0)
                    rates = {}
                    for side in order:
                        headers, query, variables = shapes[side][shape]
                        units, took, lat = await measure(
                            http, (base_a, base_b)[side], headers, query, variables, n, seconds
                        )
                        totals[side][0] += units
                        totals[side][1] += took
                        totals[side][2] += lat
                        rates[side] = units / took
                    per_round.append(rates[1] / rates[0])
                a, b = (totals[s][0] / totals[s][1] for s in (0, 1))
                p50a, p50b = (statistics.median(totals[s][2]) * 1000 for s in (0, 1))
                spread = ", ".join(f"{x:.2f}" for x in per_round)
                print(f"| {shape} | {n} | {a:.1f} | {b:.1f} | {b / a:.2f} | {p50a:.1f}, {p50b:.1f} | {spread} |",
                      flush=True)  # fmt: skip


async def main(args: argparse.Namespace) -> None:
    print(f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}: python benchmarks/catalog_bench.py "
          + " ".join(sys.argv[1:]))  # fmt: skip
    if args.mode == "clients":
        async with suite.database(args.db) as url:
            await suite.build(url, args.products)
            with gateway(url, ROOT) as new:
                await compare_clients(new, max(args.clients), args.rounds, args.seconds)
        return
    if args.mode == "before-after":
        async with suite.database(args.db) as url:
            await suite.build(url, args.products)
            with gateway(url, args.base) as base, gateway(url, ROOT) as new:
                await compare("base", base, "new", new, args.clients, args.rounds, args.seconds)
        return
    if args.mode == "analyze":
        async with suite.database(args.db) as url_raw, _second_database(args.db) as url_analyzed:
            await suite.build(url_raw, args.products, analyze=False)
            await suite.build(url_analyzed, args.products)
            with gateway(url_raw, ROOT) as raw, gateway(url_analyzed, ROOT) as analyzed:
                await compare("no statistics", raw, "analyzed", analyzed, args.clients, args.rounds, args.seconds)
        return
    # demo: two databases. PostgreSQL's helper makes one per process: the second is a SQLite file or a second
    # PostgreSQL database made the same way under another name.
    async with suite.database(args.db) as url_demo, _second_database(args.db) as url_big:
        await suite.build(url_demo, 0)
        await suite.build(url_big, args.products)
        with gateway(url_demo, ROOT) as demo, gateway(url_big, ROOT) as big:
            await compare("6 products", demo, "50 products", big, args.clients, args.rounds, args.seconds)


@contextlib.asynccontextmanager
async def _second_database(kind: str):  # noqa: ANN202
    if kind == "sqlite":
        with tempfile.TemporaryDirectory() as tmp:
            yield f"sqlite+aiosqlite:///{tmp}/bench2.db"
        return
    import asyncpg

    name = f"gw_bench2_{__import__('os').getpid()}"
    admin = await asyncpg.connect(suite.PG_ADMIN, timeout=5)
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    try:
        yield f"postgresql+asyncpg://postgres@127.0.0.1:5432/{name}"
    finally:
        admin = await asyncpg.connect(suite.PG_ADMIN, timeout=5)
        try:
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await admin.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("mode", choices=["before-after", "demo", "analyze", "clients"])
    parser.add_argument("--base", type=lambda p: Path(p).resolve(), help="before-after: a checkout to compare with")
    parser.add_argument("--db", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--clients", type=int, action="append")
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=3.0, help="per round and side")
    parser.add_argument("--products", type=int, default=1000)
    arguments = parser.parse_args()
    arguments.clients = arguments.clients or [1, 16]
    if arguments.mode == "before-after" and not arguments.base:
        parser.error("before-after needs --base")
    asyncio.run(main(arguments))
