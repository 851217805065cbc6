"""A real HTTP server on 127.0.0.1 that records webhook calls and answers as a test scripts it."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Call:
    headers: dict[str, str]
    body: str

    @property
    def event(self) -> dict:
        return json.loads(self.body)


@dataclass
class Receiver:
    url: str
    calls: list[Call] = field(default_factory=list)
    # status for the n-th call (0-based) of an event id; default 200
    respond: Callable[[str, int], int] = lambda _event_id, _n: 200
    hold: threading.Event | None = None  # when set by the test, a held call is released
    lock: threading.Lock = field(default_factory=threading.Lock)

    def events(self) -> list[dict]:
        with self.lock:
            return [c.event for c in self.calls]


@contextmanager
def receiver() -> Iterator[Receiver]:
    state = Receiver(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - http.server's naming
            body = self.rfile.read(int(self.headers.get("content-length", 0))).decode()
            call = Call({k.lower(): v for k, v in self.headers.items()}, body)
            with state.lock:
                n = sum(1 for c in state.calls if c.headers.get("webhook-id") == call.headers.get("webhook-id"))
                state.calls.append(call)
            if state.hold is not None:
                state.hold.wait(30)
            status = state.respond(call.headers.get("webhook-id", ""), n)
            try:
                self.send_response(status)
                self.send_header("content-length", "0")
                self.end_headers()
            except OSError:
                pass  # the gateway went away while the call was held

        def log_message(self, *_args) -> None:  # noqa: ANN002
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    state.url = f"http://127.0.0.1:{server.server_address[1]}/hooks"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        if state.hold is not None:
            state.hold.set()
        server.shutdown()
        server.server_close()
