"""Node.js projects the tests run (tests/js, examples/typescript): installed from their lock files when needed."""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
JS = ROOT / "tests" / "js"
REQUIRE_TOOLS = os.environ.get("GATEWAY_TEST_REQUIRE_TOOLS") == "1"


def missing(reason: str) -> None:
    """A tool the test needs is absent: skip with the reason, or fail in CI (GATEWAY_TEST_REQUIRE_TOOLS=1)."""
    if REQUIRE_TOOLS:
        pytest.fail(reason)
    pytest.skip(reason)


def run_tool(cmd: list[str], cwd: Path, timeout: int = 600) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=timeout, check=False)


def npm_project(path: Path) -> Path:
    """The project's node_modules, installed with `npm ci` from the committed lock file when needed."""
    if not (shutil.which("node") and shutil.which("npm")):
        missing("Node.js and npm are needed (the CI installs them); not found on PATH")
    installed = path / "node_modules" / ".package-lock.json"
    # Locked: two pytest-xdist workers (or two runs) must not run `npm ci` in one directory at once.
    lock_file = Path(tempfile.gettempdir()) / f"gateway-npm-ci-{hashlib.sha256(bytes(path)).hexdigest()[:12]}.lock"
    with open(lock_file, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not installed.exists() or installed.stat().st_mtime < (path / "package-lock.json").stat().st_mtime:
            run = run_tool(["npm", "ci", "--no-audit", "--no-fund"], path)
            assert run.returncode == 0, run.stdout + run.stderr
    return path / "node_modules"


def say(capsys: pytest.CaptureFixture, line: str) -> None:
    with capsys.disabled():
        print(f"\n{line}")


def last_json(run: subprocess.CompletedProcess) -> dict:
    """The last JSON line a Node.js script printed: its report."""
    lines = [line for line in run.stdout.splitlines() if line.startswith("{")]
    assert lines, f"no JSON report (exit {run.returncode}):\n{run.stdout[-3000:]}\n{run.stderr[-3000:]}"
    return json.loads(lines[-1])
