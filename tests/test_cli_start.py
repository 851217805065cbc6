"""The command line before it serves: what an operator sees when it cannot start."""

import os
import socket
import subprocess
import sys


def test_an_unreachable_database_is_one_line_not_a_traceback() -> None:
    """`serve` and `migrate` against a PostgreSQL server that is not there (a closed port): one line naming the
    cause and what to check, exit 1 (a supervisor retries), no traceback and no password of the URL."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]  # bound, never listening: connections are refused
        url = f"postgresql+asyncpg://gw:secret-password@127.0.0.1:{closed_port}/x"
        for command in (["migrate"], ["serve", "--port", str(closed_port)]):
            env = {k: v for k, v in os.environ.items() if not k.startswith("GATEWAY_")} | {"GATEWAY_DATABASE_URL": url}
            run = subprocess.run(
                [sys.executable, "-m", "app.cli", *command], env=env, capture_output=True, text=True, timeout=120
            )
            assert run.returncode == 1, run.stderr
            assert "Traceback" not in run.stderr and "secret-password" not in run.stderr, run.stderr
            assert run.stderr.strip().count("\n") == 0, run.stderr
            assert f"commerce-gateway {command[0]}: the database cannot be reached" in run.stderr, run.stderr
