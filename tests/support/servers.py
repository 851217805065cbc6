"""Real `commerce-gateway serve` processes over TCP, for what an in-process client cannot show: a process
kept busy by one request, several processes sharing one database, connections kept alive."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.support.logs import LOG_BUFFER
from tests.support.ports import free_port


@contextlib.contextmanager
def gateways(database_url: str, count: int = 1, **env: str) -> Iterator[list[str]]:
    """`count` single-worker gateway processes on one database (production mode unless told otherwise)."""
    environ = {**os.environ, "GATEWAY_DATABASE_URL": database_url, "GATEWAY_ENV": "production", **env}
    ports = [free_port() for _ in range(count)]
    # Logs go to files, not pipes: a pipe nobody reads until the end fills up and blocks the server.
    log_files = [tempfile.TemporaryFile() for _ in ports]
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "app.cli", "serve", "--port", str(p)],
            env=environ,
            stdout=subprocess.DEVNULL,
            stderr=log,
        )
        for p, log in zip(ports, log_files, strict=True)
    ]
    urls = [f"http://127.0.0.1:{p}" for p in ports]
    try:
        for url in urls:
            for _ in range(300):
                try:
                    if httpx.get(f"{url}/health").status_code == 200:
                        break
                except httpx.TransportError:
                    time.sleep(0.05)
            else:
                pytest.fail(f"gateway at {url} did not start")
        yield urls
    finally:
        logs = []
        for proc, log in zip(procs, log_files, strict=True):
            proc.terminate()
            proc.wait(timeout=10)
            log.seek(0)
            logs.append(log.read().decode(errors="replace"))
            log.close()
        # A client error never leaves a traceback in the log.
        assert not any("Traceback" in log for log in logs), logs


def wait_healthy(url: str, proc: subprocess.Popen) -> None:
    for _ in range(400):
        if proc.poll() is not None:
            pytest.fail(f"gateway exited with {proc.returncode}")
        try:
            if httpx.get(f"{url}/health", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.05)
    pytest.fail(f"gateway at {url} did not start")


def stop(proc: subprocess.Popen, log: Path) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    LOG_BUFFER.stream.write(log.read_text())  # scanned for secrets with the rest of the run
