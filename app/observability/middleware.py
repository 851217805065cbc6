"""ASGI middleware: a request id for every request, one log line and the metrics at its end."""

from __future__ import annotations

import time

import structlog
from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.observability import metrics, record
from app.observability.logging import get_logger

log = get_logger("app.request")
# Scrapes and probes: request id echoed, but no log line and no request metrics (they would drown the rest).
QUIET_PATHS = frozenset({"/metrics", "/health"})


class RequestObservability:
    def __init__(self, app: ASGIApp, *, measure: bool = True) -> None:
        self.app = app
        self.measure = measure  # off only to measure the overhead (benchmarks)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        rec = record.RequestRecord(
            request_id=record.request_id_from(headers), method=scope["method"], path=scope["path"]
        )
        token = record.start(rec)
        bound = structlog.contextvars.bind_contextvars(request_id=rec.request_id)

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                rec.status = message["status"]
                MutableHeaders(scope=message).append("x-request-id", rec.request_id)
            await send(message)

        started = time.perf_counter()
        try:
            await self.app(scope, receive, send_with_id)
        except BaseException:
            rec.status = 500
            rec.note_errors(["INTERNAL"])
            log.exception("request failed")
            raise
        finally:
            if self.measure and rec.path not in QUIET_PATHS:
                _finish(rec, time.perf_counter() - started)
            structlog.contextvars.reset_contextvars(**bound)
            record.finish(token)


def _finish(rec: record.RequestRecord, duration: float) -> None:
    metrics.observe_request(rec, duration)
    fields = {
        "tenant": rec.tenant_id,
        "client": rec.client,
        "operation": rec.operation_name,
        "operation_type": rec.operation_type,
        "status": rec.status,
        "duration_ms": round(duration * 1000, 2),
        "sql_statements": rec.sql_statements,
        "error_codes": rec.error_codes,
        "method": rec.method,
        "path": rec.path,
    }
    if (rec.status or 0) >= 500 or "INTERNAL" in rec.error_codes:
        log.error("request", **fields)
    else:
        log.info("request", **fields)
