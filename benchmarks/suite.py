"""The benchmark suite of issues 15 and 23: W1-W4 against served gateways over real HTTP, with the raw reference.

    python benchmarks/suite.py                      # SQLite and PostgreSQL, every configuration, writes docs
    python benchmarks/suite.py --db sqlite --seconds 3 --no-docs
    python benchmarks/suite.py --smoke              # a few requests each, checks completion and statement counts

For each database it builds a fresh database (migrations, demo data, W4's generated catalog of 1,000 products
through the importer, 30 placed orders), then for each
configuration starts `commerce-gateway serve` (and the raw reference under uvicorn with as many workers),
runs each workload for a fixed time with closed-loop clients, and prints req/s, p50, p99 and the SQL
statements per request counted by the gateway itself (its /metrics histogram
`gateway_sql_statements_per_request`, summed over workers). W3, W4 (ACME's catalog page) and W4S (GLOBEX's
search) alternate GraphQL and raw rounds and report the GraphQL / raw ratio of one run.

Configurations: `1w1c` (one worker, one client), `1w16c`, `2w16c` (`serve --workers 2`, 16 clients) and, on
PostgreSQL, `2p16c` (two separate `serve --workers 1` processes on one database, clients alternating between
them). Absolute figures drift several-fold on the shared machine: read ratios within one run.
The load generator (httpx) runs on the same machine and takes CPU from the servers.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from prometheus_client.parser import text_string_to_metric_families

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks import workloads as wl  # noqa: E402

PG_ADMIN = os.environ.get("GATEWAY_BENCH_PG", "postgresql://postgres@127.0.0.1:5432/postgres")
DOCS = ROOT / "docs" / "performance.md"
BEGIN, END = "<!-- suite:begin -->", "<!-- suite:end -->"
SEED_ORDERS = 30


@dataclass
class Config:
    name: str
    workers: int
    processes: int
    clients: int


CONFIGS = {
    "1w1c": Config("1w1c", 1, 1, 1),
    "1w16c": Config("1w16c", 1, 1, 16),
    "2w16c": Config("2w16c", 2, 1, 16),
    "2p16c": Config("2p16c", 1, 2, 16),
}


@dataclass
class Result:
    db: str
    config: str
    workload: str
    units: int = 0  # requests (W1, W3) or flows (W2)
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    failures: int = 0
    statements: float | None = None  # per request (per flow for W2)
    raw_rate: float | None = None

    @property
    def rate(self) -> float:
        return self.units / self.seconds if self.seconds else 0.0

    def quantile(self, q: int) -> float:
        if len(self.latencies) < 2:
            return self.latencies[0] if self.latencies else 0.0
        return statistics.quantiles(self.latencies, n=100, method="inclusive")[q - 1]


# --- databases -----------------------------------------------------------------------------------------


@contextlib.asynccontextmanager
async def database(kind: str) -> AsyncIterator[str]:
    """A fresh database URL, dropped afterwards."""
    if kind == "sqlite":
        with tempfile.TemporaryDirectory() as tmp:
            yield f"sqlite+aiosqlite:///{tmp}/bench.db"
        return
    import asyncpg

    name = f"gw_bench_{os.getpid()}"
    admin = await asyncpg.connect(PG_ADMIN, timeout=5)
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    try:
        yield f"postgresql+asyncpg://postgres@127.0.0.1:5432/{name}"
    finally:
        admin = await asyncpg.connect(PG_ADMIN, timeout=5)
        try:
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await admin.close()


async def build(url: str, products: int = 1000, *, analyze: bool = True) -> None:
    """Migrations, demo data, W4's generated catalog, and stock deep enough that no run sells out; then the
    database's statistics (`ANALYZE`), as a production server's autovacuum gathers them after a bulk load (the
    test server runs with autovacuum off: without statistics PostgreSQL plans W4's offers statement as a scan
    of every price, issue 23)."""
    from sqlalchemy import update

    from app.cli import DEMO_FILE
    from app.db import make_engine, make_session_factory
    from app.migrate import upgrade
    from app.models import Offer, Variant
    from app.services.importer import import_file
    from app.settings import Settings
    from benchmarks import catalog_data

    engine = make_engine(Settings(database_url=url))
    try:
        await upgrade(engine)
        await import_file(make_session_factory(engine), DEMO_FILE)
        if products:
            await catalog_data.load(make_session_factory(engine), products)
        skus = [sku for sku, _ in wl.W2_LINES]
        async with engine.begin() as conn:
            variant_ids = [
                v
                for (v,) in await conn.execute(
                    Variant.__table__.select().with_only_columns(Variant.id).where(Variant.sku.in_(skus))
                )
            ]
            await conn.execute(update(Offer).where(Offer.variant_id.in_(variant_ids)).values(stock=10_000_000))
        if analyze:
            async with engine.begin() as conn:
                await conn.exec_driver_sql("ANALYZE")
    finally:
        await engine.dispose()


# --- servers -------------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_env(url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GATEWAY_", "PROMETHEUS_", "OTEL_"))}
    env.update(
        GATEWAY_DATABASE_URL=url,
        GATEWAY_ENV="production",
        GATEWAY_METRICS="true",
        GATEWAY_LOG_LEVEL="warning",
        PYTHONPATH=str(ROOT),
    )
    return env


@contextlib.contextmanager
def servers(url: str, config: Config, env: dict[str, str] | None = None) -> Iterator[tuple[list[str], str]]:
    """Gateway base URLs and the raw reference's base URL, all answering /health or /raw/w3. `env`: more
    settings of the gateways (benchmarks/topology.py: a replica, a pooler); the raw reference reads `url`."""
    procs: list[subprocess.Popen] = []
    gateways: list[str] = []
    try:
        for _ in range(config.processes):
            port = free_port()
            cmd = [sys.executable, "-m", "app.cli", "serve", "--port", str(port), "--workers", str(config.workers)]
            procs.append(
                subprocess.Popen(cmd, cwd=ROOT, env={**server_env(url), **(env or {})}, stdout=subprocess.DEVNULL)
            )
            gateways.append(f"http://127.0.0.1:{port}")
        port = free_port()
        cmd = [
            sys.executable, "-m", "uvicorn", "benchmarks.raw_reference:create_app", "--factory",
            "--port", str(port), "--workers", str(config.workers * config.processes),
            "--loop", "uvloop", "--http", "httptools", "--no-access-log", "--log-level", "warning",
        ]  # fmt: skip
        procs.append(subprocess.Popen(cmd, cwd=ROOT, env=server_env(url), stdout=subprocess.DEVNULL))
        raw = f"http://127.0.0.1:{port}"
        wait_ready([*(g + "/health" for g in gateways)], [raw + "/raw/w3"], procs)
        yield gateways, raw
    finally:
        stop_all(procs)


def stop_all(procs: list[subprocess.Popen]) -> None:
    """Terminate the servers, then wait for each (killed after 20 s)."""
    for p in procs:
        p.terminate()
    for p in procs:
        try:
            p.wait(timeout=20)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()


def wait_ready(get_urls: list[str], post_urls: list[str], procs: list[subprocess.Popen]) -> None:
    deadline = time.monotonic() + 60
    pending = [("GET", u) for u in get_urls] + [("POST", u) for u in post_urls]
    while pending:
        if time.monotonic() > deadline or any(p.poll() is not None for p in procs):
            raise RuntimeError(f"servers did not start: {pending}")
        method, u = pending[0]
        try:
            httpx.request(method, u, timeout=2)  # any answer means it is listening
            pending.pop(0)
        except httpx.TransportError:
            time.sleep(0.2)


# --- the gateway's own statement counts ------------------------------------------------------------------


def sql_totals(gateways: list[str]) -> tuple[float, float]:
    """(statements, requests) so far, summed over every process's /metrics."""
    total = count = 0.0
    for g in gateways:
        text = httpx.get(g + "/metrics", timeout=10).text
        for family in text_string_to_metric_families(text):
            if family.name != "gateway_sql_statements_per_request":
                continue
            for sample in family.samples:
                if sample.name.endswith("_sum"):
                    total += sample.value
                elif sample.name.endswith("_count"):
                    count += sample.value
    return total, count


# --- clients --------------------------------------------------------------------------------------------


class Session:
    """One logical client: its base URL(s), headers and an httpx client."""

    def __init__(self, http: httpx.AsyncClient, bases: list[str], index: int, headers: dict) -> None:
        self.http, self.bases, self.index, self.headers = http, bases, index, headers
        self.turn = index

    async def post(self, query: str, variables: dict | None = None, url: str | None = None) -> dict:
        if url is None:
            self.turn += 1
            url = self.bases[self.turn % len(self.bases)] + "/graphql"
        r = await self.http.post(url, json={"query": query, "variables": variables or {}}, headers=self.headers)
        body = r.json()
        if r.status_code != 200 or body.get("errors"):
            raise RuntimeError(f"{r.status_code}: {r.text[:300]}")
        return body


def _payload_errors(body: dict) -> list:
    (payload,) = body["data"].values()
    return payload.get("errors") or []


async def token(http: httpx.AsyncClient, base: str, email: str) -> str:
    r = await http.post(
        base + "/graphql", json={"query": wl.TOKEN, "variables": {"e": email, "p": wl.PASSWORD}}, headers=wl.headers()
    )
    return r.json()["data"]["createToken"]["token"]


async def w2_flow(s: Session, offers: dict[str, str]) -> None:
    created = await s.post(wl.W2_CREATE, wl.w2_create_variables(offers))
    if _payload_errors(created):
        raise RuntimeError(f"W2 create: {_payload_errors(created)}")
    draft_id = created["data"]["createDraftOrder"]["draftOrder"]["id"]
    for query, variables in wl.w2_steps(draft_id):
        body = await s.post(query, variables)
        if _payload_errors(body):
            raise RuntimeError(f"W2 step: {_payload_errors(body)}")


# The load generator's connection pool. Idle connections are dropped after 2 s, before uvicorn closes them
# (its keep-alive timeout is 5 s, httpx's default expiry also 5 s): with both at 5 s, a connection left idle
# through the other side's round was sometimes reused as the server closed it, and the request failed with a
# ReadError that was the benchmark's, not the server's.
CLIENT_LIMITS = httpx.Limits(max_connections=64, max_keepalive_connections=64, keepalive_expiry=2.0)


async def run_cell(
    name: str,
    sessions: list[Session],
    step,
    seconds: float,
    smoke_units: int,  # noqa: ANN001
) -> tuple[int, float, list[float], int]:
    """Closed loop: each session runs `step(session)` until the deadline (or smoke_units times)."""
    latencies: list[float] = []
    failures = 0

    async def loop(s: Session, deadline: float) -> None:
        nonlocal failures
        done = 0
        while (time.perf_counter() < deadline) if not smoke_units else done < smoke_units:
            t0 = time.perf_counter()
            try:
                await step(s)
                latencies.append(time.perf_counter() - t0)
            except Exception as exc:  # noqa: BLE001 - counted and shown, the run goes on
                failures += 1
                if failures <= 3:
                    print(f"  {name}: failure: {type(exc).__name__}: {exc}", file=sys.stderr)
            done += 1

    if not smoke_units:  # warm-up: caches, connections, JIT-free but allocation-heavy first calls
        await asyncio.gather(*(loop(s, time.perf_counter() + min(1.0, seconds / 4)) for s in sessions))
        latencies.clear()
    t0 = time.perf_counter()
    await asyncio.gather(*(loop(s, t0 + seconds) for s in sessions))
    return len(latencies), time.perf_counter() - t0, latencies, failures


async def run_config(
    db: str,
    url: str,
    config: Config,
    seconds: float,
    smoke: bool,
    workloads: list[str] | None = None,
    env: dict[str, str] | None = None,
) -> list[Result]:
    results = []
    smoke_units = 3 if smoke else 0
    with servers(url, config, env) as (gateways, raw):
        limits = CLIENT_LIMITS
        async with httpx.AsyncClient(timeout=120, limits=limits) as http:
            buyer = wl.headers(await token(http, gateways[0], wl.BUYER))
            globex = wl.headers(await token(http, gateways[0], wl.W4_SEARCH_BUYER))
            operator = wl.headers(await token(http, gateways[0], wl.OPERATOR), client="OPERATOR")
            probe = Session(http, gateways, 0, buyer)
            offers = wl.offer_map((await probe.post(wl.OFFERS))["data"])
            n = config.clients
            buyers = [Session(http, gateways, i, buyer) for i in range(n)]
            operators = [Session(http, gateways, i, operator) for i in range(n)]
            searchers = [Session(http, gateways, i, globex) for i in range(n)]

            def wanted(workload: str) -> bool:
                return not workloads or workload in workloads

            # W3 needs orders to list: the first configuration of a database seeds them.
            op = operators[0]
            if wanted("W3"):
                if len((await op.post(wl.W3_ORDERS))["data"]["orders"]["edges"]) < 20:
                    for _ in range(SEED_ORDERS):
                        await w2_flow(probe, offers)
                gql = (await op.post(wl.W3_ORDERS))["data"]
                raw_body = (await op.http.post(raw + "/raw/w3", headers=operator)).json()["data"]
                if gql != raw_body:
                    raise AssertionError(f"raw reference payload differs from GraphQL:\n{gql}\n{raw_body}")
            for query, variables, session, raw_body in (
                (wl.W4_CATALOG, {}, probe, None),
                (wl.W4_SEARCH, wl.w4_search_variables(), searchers[0], wl.w4_search_variables()),
            ):
                gql = (
                    await session.http.post(
                        gateways[0] + "/graphql", json={"query": query, "variables": variables}, headers=session.headers
                    )
                ).content
                raw_bytes = (await session.http.post(raw + "/raw/w4", json=raw_body, headers=session.headers)).content
                if gql != raw_bytes:
                    raise AssertionError(
                        f"raw reference W4 payload differs from GraphQL:\n{gql[:300]}\n{raw_bytes[:300]}"
                    )

            drafts: dict[int, str] = {}
            for s in buyers if wanted("W1") else ():
                body = await s.post(wl.W2_CREATE, {"input": {"lines": [{"offerId": offers[wl.W1_SKU], "quantity": 1}]}})
                drafts[s.index] = body["data"]["createDraftOrder"]["draftOrder"]["id"]

            async def w1(s: Session) -> None:
                body = await s.post(wl.W1_ADD, wl.w1_variables(drafts[s.index], offers))
                if _payload_errors(body):
                    raise RuntimeError(f"W1: {_payload_errors(body)}")

            async def w3(s: Session) -> None:
                await s.post(wl.W3_ORDERS)

            async def w3_raw(s: Session) -> None:
                r = await s.http.post(raw + "/raw/w3", headers=s.headers)
                if r.status_code != 200:
                    raise RuntimeError(r.text[:300])

            async def w2(s: Session) -> None:
                await w2_flow(s, offers)

            async def w4(s: Session) -> None:
                await s.post(wl.W4_CATALOG)

            async def w4_raw(s: Session) -> None:
                r = await s.http.post(raw + "/raw/w4", headers=s.headers)
                if r.status_code != 200:
                    raise RuntimeError(r.text[:300])

            async def w4s(s: Session) -> None:
                await s.post(wl.W4_SEARCH, wl.w4_search_variables())

            async def w4s_raw(s: Session) -> None:
                r = await s.http.post(raw + "/raw/w4", json=wl.w4_search_variables(), headers=s.headers)
                if r.status_code != 200:
                    raise RuntimeError(r.text[:300])

            raw_steps = {"W3": w3_raw, "W4": w4_raw, "W4S": w4s_raw}
            for workload, sessions, step, per in (
                ("W1", buyers, w1, 1),
                ("W2", buyers, w2, 4),
                ("W3", operators, w3, 1),
                ("W4", buyers, w4, 1),
                ("W4S", searchers, w4s, 1),
            ):
                if not wanted(workload):
                    continue
                raw_step = raw_steps.get(workload)
                before = sql_totals(gateways)
                result = Result(db, config.name, workload)
                # W3 alternates GraphQL and raw rounds in ABBA order (G R, R G, G R, R G): a drift over the
                # cell (the database settling after W2's writes, the machine's load) weighs on both alike.
                rounds = 1 if raw_step is None else 4
                raw_units, raw_seconds = 0, 0.0
                for i in range(rounds):
                    raw_first = raw_step is not None and i % 2 == 1
                    if raw_first:
                        units, took, _lat, failed = await run_cell(
                            f"{workload} raw", sessions, raw_step, seconds / rounds, smoke_units
                        )
                        raw_units, raw_seconds = raw_units + units, raw_seconds + took
                        result.failures += failed
                    units, took, lat, failed = await run_cell(workload, sessions, step, seconds / rounds, smoke_units)
                    result.units += units
                    result.seconds += took
                    result.latencies += lat
                    result.failures += failed
                    if raw_step is not None and not raw_first:
                        units, took, _lat, failed = await run_cell(
                            f"{workload} raw", sessions, raw_step, seconds / rounds, smoke_units
                        )
                        raw_units, raw_seconds = raw_units + units, raw_seconds + took
                        result.failures += failed
                after = sql_totals(gateways)
                requests = after[1] - before[1]
                if requests:
                    result.statements = (after[0] - before[0]) / requests * per
                if raw_step is not None and raw_seconds:
                    result.raw_rate = raw_units / raw_seconds
                results.append(result)
                print(line(result), flush=True)
    return results


# --- output ---------------------------------------------------------------------------------------------

HEADER = "| db | config | workload | rate | p50 ms | p99 ms | p99/p50 | SQL per request | GraphQL/raw |"


def line(r: Result) -> str:
    p50, p99 = r.quantile(50), r.quantile(99)
    unit = "flows/s" if r.workload == "W2" else "req/s"
    sql = f"{r.statements:.1f}" + (" per flow" if r.workload == "W2" else "") if r.statements is not None else "-"
    ratio = f"{r.rate / r.raw_rate:.2f} (raw {r.raw_rate:.1f} req/s)" if r.raw_rate else ""
    fail = f" **{r.failures} failed**" if r.failures else ""
    return (
        f"| {r.db} | {r.config} | {r.workload} | {r.rate:.1f} {unit}{fail} | {p50 * 1000:.1f} | {p99 * 1000:.1f} "
        f"| {p99 / p50 if p50 else 0:.1f} | {sql} | {ratio} |"
    )


def scale_lines(results: list[Result]) -> list[str]:
    out = []
    by = {(r.db, r.config, r.workload): r for r in results}
    for w in ("W1", "W2", "W3", "W4", "W4S"):
        base = by.get(("postgresql", "1w16c", w))
        if not base or not base.rate:
            continue
        parts = [
            f"{c} {by[('postgresql', c, w)].rate / base.rate:.2f}"
            for c in ("2w16c", "2p16c")
            if ("postgresql", c, w) in by
        ]
        out.append(f"- {w}: throughput relative to `1w16c` on PostgreSQL: " + ", ".join(parts))
    return out


def write_docs(results: list[Result], command: str) -> None:
    stamp = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    block = [
        BEGIN,
        f"Run {stamp}: `{command}` (one run; compare ratios, not absolute figures).",
        "",
        HEADER,
        "|---|---|---|---|---|---|---|---|---|",
        *(line(r) for r in results),
        "",
        *scale_lines(results),
        END,
    ]
    text = DOCS.read_text()
    if BEGIN in text:
        head, rest = text.split(BEGIN, 1)
        text = head + "\n".join(block) + rest.split(END, 1)[1]
    else:
        text = text.rstrip() + "\n\n## Benchmark suite (issue 15)\n\n" + "\n".join(block) + "\n"
    DOCS.write_text(text)


async def main(args: argparse.Namespace) -> list[Result]:
    results: list[Result] = []
    for db in args.db:
        async with database(db) as url:
            await build(url, args.products)
            configs = args.config or (
                ["1w1c"] if args.smoke else ["1w1c", "1w16c", "2w16c"] + (["2p16c"] if db == "postgresql" else [])
            )
            for name in configs:
                if name == "2p16c" and db == "sqlite":
                    continue
                results += await run_config(db, url, CONFIGS[name], args.seconds, args.smoke, args.workload)
    return results


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", action="append", choices=["sqlite", "postgresql"])
    parser.add_argument("--config", action="append", choices=sorted(CONFIGS))
    parser.add_argument("--seconds", type=float, default=8.0, help="measured time per workload and configuration")
    parser.add_argument("--smoke", action="store_true", help="3 units per client, no timing claims, no docs")
    parser.add_argument("--no-docs", action="store_true")
    parser.add_argument("--workload", action="append", choices=["W1", "W2", "W3", "W4", "W4S"], help="only these")
    parser.add_argument("--products", type=int, default=None, help="W4's generated products (default 1000, smoke 60)")
    args = parser.parse_args(argv)
    args.db = args.db or ["sqlite", "postgresql"]
    if args.products is None:
        args.products = 60 if args.smoke else 1000
    return args


if __name__ == "__main__":
    arguments = parse()
    print(HEADER)
    outcome = asyncio.run(main(arguments))
    failed = sum(r.failures for r in outcome)
    if not arguments.smoke and not arguments.no_docs:
        write_docs(outcome, "python benchmarks/suite.py " + " ".join(sys.argv[1:]))
    raise SystemExit(1 if failed else 0)
