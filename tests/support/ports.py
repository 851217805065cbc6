"""Free TCP ports for servers a test starts, without collisions between pytest-xdist workers."""

from __future__ import annotations

import os
import random
import socket

# Below Linux's ephemeral range (32768-60999), so no outgoing connection takes a port between our check and
# the server's bind; each xdist worker draws from its own slice, so two workers never pick the same port.
_BASE, _SLICE = 20000, 1500


def _slice() -> range:
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")  # "gw3"; the controller / a plain run is slice 0
    index = int(worker[2:]) if worker[2:].isdigit() else 0
    start = _BASE + (index % 8) * _SLICE
    return range(start, start + _SLICE)


_handed_out: set[int] = set()


def free_port() -> int:
    """A TCP port nothing listens on right now (for a server the test starts, or one it must not reach)."""
    candidates = list(_slice())
    random.shuffle(candidates)  # two runs on one machine (two developers) rarely meet
    for port in candidates:
        if port in _handed_out:
            continue
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
        if len(_handed_out) > _SLICE // 2:  # long runs: forget old ports (their servers have stopped)
            _handed_out.clear()
        _handed_out.add(port)
        return port
    raise RuntimeError(f"no free port in {_slice()}")
