"""deploy/topology (issue 24, scope 5): the whole topology of docs/deployment.md on one machine, brought up and
taken down by the script a user runs: a primary and a pg_basebackup standby, PgBouncer in transaction mode, two
gateway processes behind it with the demo data. Over HTTP: both gateways answer the demo buyer, a draft made
through one is read through the other, each process holds its LISTEN connection on the primary, and the
standby replays what the primary wrote; `down` leaves nothing running."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import httpx
import pytest

from tests.support.pg_replica import require_pair
from tests.support.ports import free_port

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("pg_topology")]
SCRIPT = Path(__file__).resolve().parents[1] / "deploy" / "topology"
LOGIN = """mutation { createToken(email: "buyer@acme.example", password: "demo-password") { token errors { code } } }"""
DRAFT = """mutation($input: CreateDraftOrderInput!) { createDraftOrder(input: $input) {
  draftOrder { id } errors { code } } }"""
READ = "query($id: ID!) { draftOrder(id: $id) { id status } }"


def _psql(port: int, sql: str) -> str:
    return subprocess.run(
        ["psql", "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "-Atc", sql, "gateway"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()


def test_the_topology_comes_up_serves_and_goes_down() -> None:
    require_pair()
    if shutil.which("pgbouncer") is None:
        pytest.fail("deploy/topology needs PgBouncer: apt-get install -y pgbouncer")
    ports = {name: free_port() for name in ("primary", "standby", "pooler", "a", "b")}
    env = {
        "TOPOLOGY_PRIMARY_PORT": str(ports["primary"]),
        "TOPOLOGY_STANDBY_PORT": str(ports["standby"]),
        "TOPOLOGY_POOLER_PORT": str(ports["pooler"]),
        "TOPOLOGY_GATEWAY_PORTS": f"{ports['a']} {ports['b']}",
    }
    parent = Path(tempfile.mkdtemp(prefix="gw-topology-"))
    parent.chmod(0o755)  # the servers run as `postgres` under root: they must reach their directories
    directory = parent / "topology"
    run_env = {**os.environ, **env}
    try:
        up = subprocess.run([SCRIPT, "up", directory], env=run_env, capture_output=True, text=True, timeout=300)
        assert up.returncode == 0, up.stdout + up.stderr
        assert "GATEWAY_DB_POOLER=pgbouncer" in up.stdout
        a, b = (f"http://127.0.0.1:{ports[n]}" for n in ("a", "b"))
        base = {"dj-api-key": "demo-tenant-key", "dj-client": "ACCOUNT"}
        with httpx.Client(timeout=30) as client:
            for url in (a, b):
                health = client.get(f"{url}/health").json()
                assert health["status"] == "ok" and [r["state"] for r in health["replicas"]] == ["ok"], health
            token = client.post(f"{a}/graphql", json={"query": LOGIN}, headers=base).json()["data"]["createToken"][
                "token"
            ]
            buyer = {**base, "authorization": f"Bearer {token}"}
            made = client.post(f"{a}/graphql", json={"query": DRAFT, "variables": {"input": {}}}, headers=buyer).json()[
                "data"
            ]["createDraftOrder"]
            assert made["errors"] == [], made
            # the other process, echoing the writer's WAL position: the draft as written, wherever it is read
            position = {"gateway-wal-position": _psql(ports["primary"], "SELECT pg_current_wal_lsn()")}
            read = client.post(
                f"{b}/graphql",
                json={"query": READ, "variables": {"id": made["draftOrder"]["id"]}},
                headers={**buyer, **position},
            ).json()["data"]["draftOrder"]
            assert read == {"id": made["draftOrder"]["id"], "status": "DRAFT"}
        listeners = _psql(
            ports["primary"], "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'commerce-gateway listen'"
        )
        assert listeners == "2"
        assert _psql(ports["standby"], "SELECT pg_is_in_recovery()") == "t"
        assert _psql(ports["standby"], f"SELECT count(*) FROM orders WHERE id = '{made['draftOrder']['id']}'") == "1"
    finally:
        down = subprocess.run([SCRIPT, "down", directory], env=run_env, capture_output=True, text=True, timeout=120)
    assert down.returncode == 0, down.stdout + down.stderr
    assert not directory.exists()
    with httpx.Client(timeout=2) as client:
        for port in (ports["a"], ports["b"]):
            with pytest.raises(httpx.TransportError):
                client.get(f"http://127.0.0.1:{port}/health")
