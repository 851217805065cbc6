"""Prometheus metrics (prometheus-client).

With several worker processes (`serve --workers N`) every process writes its samples to files in
PROMETHEUS_MULTIPROC_DIR (set by `serve` before the workers start) and `/metrics` sums them
(prometheus-client's multiprocess mode); gauges use `livesum`, the sum over live processes.
"""

from __future__ import annotations

import os
import re

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest, multiprocess
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine

from app.observability.record import RequestRecord, current

REQUESTS = Counter(
    "gateway_requests_total", "HTTP requests by GraphQL operation.", ["operation", "operation_type", "status"]
)
LATENCY = Histogram(
    "gateway_request_duration_seconds",
    "Request duration by GraphQL operation.",
    ["operation", "operation_type"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
ERRORS = Counter(
    "gateway_graphql_errors_total", "Error codes answered (top-level and payload errors).", ["operation", "code"]
)
SQL_STATEMENTS = Histogram(
    "gateway_sql_statements_per_request",
    "SQL statements executed by one request.",
    ["operation_type"],
    buckets=(0, 1, 2, 3, 5, 8, 13, 21, 34, 55, 89, 144),
)
PLACEMENTS = Counter("gateway_placements_total", "placeDraftOrder outcomes.", ["outcome"])
# Payments are not built yet: the counter is defined (and documented) so dashboards need no change later.
PAYMENTS = Counter("gateway_payments_total", "Payment attempts by outcome.", ["outcome"])
DB_CONNECTION_LOST = Counter(
    "gateway_db_connection_lost_total",
    "Work interrupted by a dropped database connection, by what followed (retried, unavailable).",
    ["action"],
)
STOCK_REFUSED = Counter("gateway_stock_reservations_refused_total", "Placements refused for lack of stock.")
POOL_IN_USE = Gauge(
    "gateway_db_pool_connections_in_use", "Database connections checked out.", multiprocess_mode="livesum"
)
POOL_CAPACITY = Gauge(
    "gateway_db_pool_capacity", "Pool size plus overflow, summed over processes.", multiprocess_mode="livesum"
)
WORKERS = Gauge("gateway_worker_processes", "Live gateway processes serving requests.", multiprocess_mode="livesum")
OUTBOX_EVENTS = Counter("gateway_outbox_events_total", "Events committed to the outbox.", ["event_type"])
WEBHOOK_DELIVERIES = Counter(
    "gateway_webhook_deliveries_total", "Webhook delivery attempts by outcome.", ["event_type", "outcome"]
)
WEBHOOK_LATENCY = Histogram(
    "gateway_webhook_delivery_seconds",
    "Duration of one webhook HTTP call.",
    buckets=(0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)

# Operation names come from clients: bounded so that a client cannot grow the label set without limit.
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,63}")
_MAX_NAMES = 300
_seen_names: set[str] = set()


def operation_label(name: str | None) -> str:
    if not name:
        return "anonymous"
    if not _NAME.fullmatch(name):
        return "invalid"
    if name not in _seen_names:
        if len(_seen_names) >= _MAX_NAMES:
            return "other"
        _seen_names.add(name)
    return name


def observe_request(record: RequestRecord, duration: float) -> None:
    operation = operation_label(record.operation_name)
    kind = record.operation_type or "none"
    REQUESTS.labels(operation, kind, str(record.status or 0)).inc()
    LATENCY.labels(operation, kind).observe(duration)
    SQL_STATEMENTS.labels(kind).observe(record.sql_statements)
    for code in record.error_codes:
        ERRORS.labels(operation, code).inc()


def observe_payment(outcome: str) -> None:
    """A payment attempt: STARTED (checkout, payOrder, placement with a method), UNAVAILABLE (the provider could
    not start it), or its end from a callback: APPROVED, REFUSED, or REJECTED_CALLBACK (refused and recorded)."""
    PAYMENTS.labels(outcome).inc()


def observe_placement(codes: list[str]) -> None:
    """Called by the placement resolver with the error codes of its outcome (none: placed)."""
    PLACEMENTS.labels("refused" if codes else "placed").inc()
    if "INSUFFICIENT_STOCK" in codes:
        STOCK_REFUSED.inc()
    record = current()
    if record is not None:
        record.note_errors(codes)


def observe_engine(engine: AsyncEngine, capacity: int) -> None:
    """Count SQL statements per request and connections in use."""
    POOL_CAPACITY.set(capacity)

    @event.listens_for(engine.sync_engine, "before_cursor_execute")
    def _count(*_args) -> None:  # noqa: ANN002
        record = current()
        if record is not None:
            record.sql_statements += 1

    @event.listens_for(engine.sync_engine.pool, "checkout")
    def _checkout(*_args) -> None:  # noqa: ANN002
        POOL_IN_USE.inc()

    @event.listens_for(engine.sync_engine.pool, "checkin")
    def _checkin(*_args) -> None:  # noqa: ANN002
        POOL_IN_USE.dec()


def multiprocess_dir() -> str | None:
    return os.environ.get("PROMETHEUS_MULTIPROC_DIR") or None


def exposition() -> bytes:
    """The text exposition: summed over all worker processes in multiprocess mode."""
    if multiprocess_dir():
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return generate_latest(registry)
    from prometheus_client import REGISTRY

    return generate_latest(REGISTRY)


def process_exit() -> None:
    """Drop this process's live gauges (multiprocess mode keeps files of dead processes otherwise)."""
    directory = multiprocess_dir()
    if directory:
        multiprocess.mark_process_dead(os.getpid(), directory)
