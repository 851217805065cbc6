"""/metrics of `serve --workers 2` sums both worker processes and has each one's process metrics; their log
lines are JSON and secret-free."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

import httpx

from tests.support.gateway import API_KEY
from tests.support.metrics import samples
from tests.support.ports import free_port
from tests.support.servers import stop, wait_healthy


def test_metrics_sum_two_worker_processes(database_url: str, tmp_path: Path) -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log = tmp_path / "serve.log"
    env = {
        **os.environ,
        "GATEWAY_DATABASE_URL": database_url,
        "GATEWAY_ENV": "production",
        "GATEWAY_METRICS_TOKEN": "scrape-token",
        "PROMETHEUS_MULTIPROC_DIR": str(tmp_path / "metrics"),
    }
    (tmp_path / "metrics").mkdir()
    with log.open("w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "app.cli", "serve", "--port", str(port), "--workers", "2"],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        wait_healthy(url, proc)
        op = f"Multi{uuid.uuid4().hex[:8]}"
        headers = {"dj-api-key": API_KEY, "dj-client": "ACCOUNT", "connection": "close"}
        for _ in range(20):  # a new connection each time: the kernel spreads them over both workers
            r = httpx.post(
                f"{url}/graphql", json={"query": f"query {op} {{ viewer {{ store {{ id }} }} }}"}, headers=headers
            )
            assert r.status_code == 200 and "errors" not in r.json()
        auth = {"Authorization": "Bearer scrape-token"}
        assert httpx.get(f"{url}/metrics").status_code == 401
        for _ in range(3):  # each scrape may land on either worker: every one sees the sum
            text = httpx.get(f"{url}/metrics", headers={**auth, "connection": "close"}).text
            assert samples(text, "gateway_requests_total", operation=op) == 20
            assert samples(text, "gateway_worker_processes") == 2
            # Process metrics of each worker (prometheus-client's multiprocess collector has none).
            cpu = [line for line in text.splitlines() if line.startswith("process_cpu_seconds_total{")]
            assert len({line.split('pid="')[1].split('"')[0] for line in cpu}) == 2, cpu
            assert samples(text, "process_resident_memory_bytes") > 0 and "python_info{" in text
    finally:
        stop(proc, log)
    request_lines = [line for line in log.read_text().splitlines() if op in line]
    assert len(request_lines) == 20 and all(line.startswith("{") for line in request_lines)
