"""A real PostgreSQL primary and streaming standby (scripts/pg-replica: initdb, pg_basebackup -R, pg_ctl) for the
read replica and failover tests.

They run with GATEWAY_TEST_PG_REPLICA=1 (failing when the PostgreSQL server binaries initdb, pg_basebackup and
pg_ctl are missing), or with GATEWAY_TEST_REQUIRE_PG=1 when those binaries are installed (CI); they skip with
GATEWAY_TEST_PG_REPLICA=0, and otherwise, with the reason.
"""

from __future__ import annotations

import asyncio
import glob
import os
import shutil
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.support import databases
from tests.support.ports import free_port

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "pg-replica"


def _binaries_present() -> bool:
    dirs = glob.glob("/usr/lib/postgresql/*/bin")
    return any(os.access(f"{d}/pg_basebackup", os.X_OK) for d in dirs) or shutil.which("pg_basebackup") is not None


def require_pair() -> None:
    """Skip (or fail, when PostgreSQL is required and the binaries are there) unless the tests may start servers."""
    if os.environ.get("GATEWAY_TEST_PG_REPLICA") == "0":
        pytest.skip("GATEWAY_TEST_PG_REPLICA=0: no primary and standby started")
    if os.environ.get("GATEWAY_TEST_PG_REPLICA") == "1":
        if not _binaries_present():
            pytest.fail("GATEWAY_TEST_PG_REPLICA=1 but no PostgreSQL server binaries (pg_basebackup) are installed")
        return
    if databases.REQUIRE_PG and _binaries_present():
        return
    pytest.skip("a primary and a streaming standby are started only with GATEWAY_TEST_PG_REPLICA=1 (or in CI)")


@dataclass
class Pair:
    directory: str
    primary_port: int
    standby_port: int
    database: str

    def url(self, port: int) -> str:
        return f"postgresql+asyncpg://postgres@127.0.0.1:{port}/{self.database}"

    @property
    def primary_url(self) -> str:
        return self.url(self.primary_port)

    @property
    def standby_url(self) -> str:
        return self.url(self.standby_port)

    @property
    def failover_url(self) -> str:
        """Both hosts, libpq style: asyncpg connects to whichever accepts writes."""
        return (
            f"postgresql+asyncpg://postgres@/{self.database}?host=127.0.0.1:{self.primary_port}"
            f"&host=127.0.0.1:{self.standby_port}&target_session_attrs=read-write"
        )

    def run(self, command: str) -> None:
        subprocess.run([str(SCRIPT), command, self.directory], check=True, capture_output=True, timeout=120)


async def sql(port: int, statement: str, *args: object, database: str = "postgres") -> list:
    import asyncpg

    conn = await asyncpg.connect(f"postgresql://postgres@127.0.0.1:{port}/{database}", timeout=10)
    try:
        return await conn.fetch(statement, *args)
    finally:
        await conn.close()


async def caught_up(pair: Pair) -> None:
    """Wait (30 s at most) until the standby has replayed everything the primary has written so far."""
    target = (await sql(pair.primary_port, "SELECT pg_current_wal_lsn()"))[0][0]
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        rows = await sql(pair.standby_port, "SELECT pg_last_wal_replay_lsn() >= $1::pg_lsn", target)
        if rows[0][0]:
            return
        await asyncio.sleep(0.05)
    raise AssertionError("the standby did not catch up")


@contextmanager
def started_pair(*, synchronous: bool = False) -> Iterator[Pair]:
    """A primary and a standby on free ports with a demo database built on the primary (and so on the standby);
    both stopped and removed afterwards."""
    directory = tempfile.mkdtemp(prefix="gw-pg-pair-")
    pair = Pair(directory, free_port(), free_port(), f"gw_pair_{uuid.uuid4().hex[:8]}")
    env = {**os.environ, "PG_REPLICA_SYNC": "1" if synchronous else "0"}
    try:
        subprocess.run(
            [str(SCRIPT), "up", directory, str(pair.primary_port), str(pair.standby_port)],
            check=True,
            capture_output=True,
            timeout=180,
            env=env,
        )

        async def build() -> None:
            await sql(pair.primary_port, f'CREATE DATABASE "{pair.database}"')
            await databases.build(pair.primary_url)
            await sql(pair.primary_port, "CREATE EXTENSION pg_stat_statements", database=pair.database)
            await caught_up(pair)

        asyncio.run(build())
        yield pair
    finally:
        subprocess.run([str(SCRIPT), "down", directory], check=False, capture_output=True, timeout=120)
