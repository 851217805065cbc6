"""The benchmark suite's smoke mode (benchmarks/suite.py --smoke): served gateways over real HTTP, the raw
reference answering the same W3 payload and byte-identical W4 JSON, every workload completing, and the
statement counts the gateway reports in /metrics matching the ceilings of tests/support/workloads.py. No timing
is asserted."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.databases import PG_URL, REQUIRE_PG
from tests.support.workloads import CEILING, DRAFTS_IN_PAGE

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent


async def _pg_reachable() -> bool:
    import asyncpg

    try:
        conn = await asyncpg.connect(PG_URL, timeout=3)
    except Exception:  # noqa: BLE001 - any failure means no server
        return False
    await conn.close()
    return True


@pytest.mark.parametrize("db", ["sqlite", "postgresql"])
def test_suite_smoke(db: str) -> None:
    env = None
    if db == "postgresql":
        if not asyncio.run(_pg_reachable()):
            (pytest.fail if REQUIRE_PG else pytest.skip)(f"PostgreSQL unreachable at {PG_URL}")
        import os

        env = {**os.environ, "GATEWAY_BENCH_PG": PG_URL.rsplit("/", 1)[0] + "/postgres"}
    done = subprocess.run(
        [sys.executable, "benchmarks/suite.py", "--smoke", "--db", db],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    rows = {}
    for line in done.stdout.splitlines():
        cells = [c.strip() for c in line.strip("|").split("|")]
        if len(cells) == 9 and cells[0] == db:
            rows[cells[2]] = cells
    assert set(rows) == {"W1", "W2", "W3", "W4", "W4S"}, done.stdout
    for workload, cells in rows.items():
        assert "failed" not in cells[3], cells
        statements = float(cells[7].split()[0])
        # The smoke run's W3 page also lists W1's fresh drafts (DraftOrder: lines through the evaluation loader).
        ceiling = CEILING[db][workload[:2]] + (DRAFTS_IN_PAGE if workload == "W3" else 0)
        assert 0 < statements <= ceiling, (workload, cells)
    for workload in ("W3", "W4", "W4S"):  # the raw reference answered (the same payload: checked by the suite)
        assert rows[workload][8].startswith(tuple("0123456789")), rows[workload]
