"""The topology of docs/deployment.md as benchmark configurations (issue 24, scope 6), in one run.

    python benchmarks/topology.py                 # 10 s per workload and variant
    python benchmarks/topology.py --seconds 4     # shorter

It makes a PostgreSQL primary and one streaming standby on free ports (scripts/pg-replica), builds the benchmark
database on the primary as benchmarks/suite.py does (migrations, demo data, the generated catalog, seed orders),
starts PgBouncer in transaction mode in front of the primary (scripts/pgbouncer), then runs W1 (a buyer's draft
edits: writes), W3 (an operator's order listing) and W4 (ACME's catalog page) with two `serve` processes and 16
clients (suite configuration 2p16c) in three variants:

- `primary`: the gateways on the primary alone (the baseline);
- `replica`: the same, with GATEWAY_DATABASE_REPLICA_URLS on the standby (query operations read there);
- `pgbouncer`: the gateways through PgBouncer (GATEWAY_DB_POOLER=pgbouncer, LISTEN on the primary).

After an unmeasured warm-up round, variants run in ABCCBA order, so that a drift of the machine over the
run weighs on each alike; each figure is the mean of its two rounds, printed as a ratio to `primary` in the
same run. During W1 of the `replica` variant it samples the standby's replay lag from the primary
(`pg_stat_replication.replay_lag`, every 100 ms). Absolute
rates drift several-fold on the shared machine: read the ratios.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks import suite  # noqa: E402

WORKLOADS = ["W1", "W3", "W4"]
ORDER = ["primary", "replica", "pgbouncer", "pgbouncer", "replica", "primary"]


def psql(port: int, sql: str, database: str = "postgres") -> str:
    out = subprocess.run(
        ["psql", "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "-Atc", sql, database],
        check=True,
        capture_output=True,
        text=True,
    )
    return out.stdout.strip()


async def sample_lag(port: int, stop: asyncio.Event, into: list[float]) -> None:
    """The standby's replay lag as the primary sees it (seconds), every 100 ms until `stop`."""
    while not stop.is_set():
        text = await asyncio.to_thread(
            psql, port, "SELECT COALESCE(EXTRACT(EPOCH FROM replay_lag), 0) FROM pg_stat_replication"
        )
        if text:
            into.append(float(text))
        await asyncio.sleep(0.1)


def caught_up(primary: int, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        behind = psql(primary, "SELECT pg_current_wal_lsn() - replay_lsn FROM pg_stat_replication")
        if behind and float(behind) == 0:
            return
        time.sleep(0.2)
    raise RuntimeError("the standby did not catch up")


async def measure(url: str, primary: int, variants: dict[str, dict[str, str]], seconds: float):  # noqa: ANN201
    """Rates per (variant, workload), every round; the replay lag samples taken during the replica's W1."""
    config = suite.CONFIGS["2p16c"]
    rates: dict[tuple[str, str], list[float]] = {}
    lag: list[float] = []
    # An unmeasured round first: the database's caches warm, W1's drafts made (W3's page lists them from then on),
    # so the first measured round is not the only cold one.
    print("== warm-up (not measured)", flush=True)
    await suite.run_config("postgresql", url, config, min(seconds, 3.0), False, WORKLOADS, variants["primary"])
    for variant in ORDER:
        print(f"== {variant}", flush=True)
        stop = asyncio.Event()
        sampler = asyncio.create_task(sample_lag(primary, stop, lag)) if variant == "replica" else None
        results = await suite.run_config("postgresql", url, config, seconds, False, ["W1"], variants[variant])
        stop.set()
        if sampler is not None:
            await sampler
        results += await suite.run_config("postgresql", url, config, seconds, False, ["W3", "W4"], variants[variant])
        for r in results:
            rates.setdefault((variant, r.workload), []).append(r.rate)
    return rates, lag


def report(rates: dict[tuple[str, str], list[float]], lag: list[float], args: argparse.Namespace) -> None:
    print()
    print("| workload | primary alone, req/s | with one replica | through PgBouncer |")
    print("|---|---|---|---|")
    for w in WORKLOADS:
        base = statistics.fmean(rates[("primary", w)])
        cells = [f"{statistics.fmean(rates[(v, w)]) / base:.2f}x" for v in ("replica", "pgbouncer")]
        print(f"| {w} | {base:.1f} | {cells[0]} | {cells[1]} |")
    if lag:
        q = statistics.quantiles(lag, n=100, method="inclusive") if len(lag) > 1 else lag * 99
        print(
            f"\nreplica lag under W1 (pg_stat_replication.replay_lag, {len(lag)} samples): "
            f"p50 {q[49] * 1000:.1f} ms, p99 {q[98] * 1000:.1f} ms, max {max(lag) * 1000:.1f} ms"
        )
    print(f"\ncommand: python benchmarks/topology.py --seconds {args.seconds:g} --products {args.products}")


def main(args: argparse.Namespace) -> None:
    work = Path(tempfile.mkdtemp(prefix="gw-topology-bench-"))
    work.chmod(0o755)  # the servers run as `postgres` under root
    primary, standby, pooler = suite.free_port(), suite.free_port(), suite.free_port()
    pgb_env = {
        **os.environ,
        "PGBOUNCER_DIR": str(work / "pgbouncer"),
        "PGBOUNCER_PORT": str(pooler),
        "PGBOUNCER_UPSTREAM_PORT": str(primary),
    }
    subprocess.run([ROOT / "scripts" / "pg-replica", "up", work / "pg", str(primary), str(standby)], check=True)
    try:
        psql(primary, "CREATE DATABASE bench")
        url = f"postgresql+asyncpg://postgres@127.0.0.1:{primary}/bench"
        asyncio.run(suite.build(url, products=args.products))
        caught_up(primary)
        subprocess.run([ROOT / "scripts" / "pgbouncer", "start"], check=True, env=pgb_env, stdout=subprocess.DEVNULL)
        variants = {
            "primary": {},
            "replica": {"GATEWAY_DATABASE_REPLICA_URLS": f"postgresql+asyncpg://postgres@127.0.0.1:{standby}/bench"},
            "pgbouncer": {
                "GATEWAY_DATABASE_URL": f"postgresql+asyncpg://postgres@127.0.0.1:{pooler}/bench",
                "GATEWAY_DB_POOLER": "pgbouncer",
                "GATEWAY_DATABASE_LISTEN_URL": url,
            },
        }
        rates, lag = asyncio.run(measure(url, primary, variants, args.seconds))
        report(rates, lag, args)
    finally:
        subprocess.run([ROOT / "scripts" / "pgbouncer", "stop"], env=pgb_env, stderr=subprocess.DEVNULL)
        subprocess.run([ROOT / "scripts" / "pg-replica", "down", work / "pg"], stderr=subprocess.DEVNULL)


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--seconds", type=float, default=10.0, help="measured time per workload, variant and round")
    p.add_argument("--products", type=int, default=1000, help="W4's generated products")
    return p.parse_args(argv)


if __name__ == "__main__":
    main(parse())
