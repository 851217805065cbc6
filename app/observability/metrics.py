"""Prometheus metrics (prometheus-client).

With several worker processes (`serve --workers N`) every process writes its samples to files in
PROMETHEUS_MULTIPROC_DIR (set by `serve` before the workers start) and `/metrics` sums them
(prometheus-client's multiprocess mode); gauges use `livesum`, the sum over live processes. The process
metrics (`process_*`), which prometheus-client's multiprocess collector leaves out, are read from /proc for
every live worker at scrape time, one series per worker with a `pid` label (`WorkerProcesses`).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from pathlib import Path

from prometheus_client import (
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    PlatformCollector,
    ProcessCollector,
    generate_latest,
    multiprocess,
)
from prometheus_client.metrics_core import Metric
from prometheus_client.registry import Collector
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine

from app.observability.record import RequestRecord, current
from app.settings import get_settings

_LATENCY_STEPS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60, 120, 300)


def latency_buckets(limit: float) -> tuple[float, ...]:
    """The usual steps below the request limit, then the limit itself: the largest bucket is the limit, so
    `+Inf` minus it counts the requests that ran into it (answered TIMEOUT)."""
    return (*(step for step in _LATENCY_STEPS if step < limit), limit)


REQUESTS = Counter(
    "gateway_requests_total", "HTTP requests by GraphQL operation.", ["operation", "operation_type", "status"]
)
LATENCY = Histogram(
    "gateway_request_duration_seconds",
    "Request duration by GraphQL operation.",
    ["operation", "operation_type"],
    # From the process's GATEWAY_MAX_REQUEST_SECONDS (every worker reads the same environment).
    buckets=latency_buckets(get_settings().max_request_seconds),
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
LEDGER = Counter(
    "gateway_payment_transactions_total",
    "Payment ledger entries by kind (AUTHORIZATION, CAPTURE, VOID, REFUND, MANUAL) and status as written or "
    "settled (PENDING, SUCCEEDED, FAILED); refusals are in gateway_graphql_errors_total by code.",
    ["kind", "status"],
)

# Refunds (payments/refunds.py) and their callbacks: REQUESTED, UNAVAILABLE (the provider could not be asked),
# REFUSED (a business rule said no), SUCCEEDED / FAILED (settled at once or by a callback), and the refused
# callbacks: CALLBACK_FORGED, CALLBACK_MALFORMED, CALLBACK_UNKNOWN, CALLBACK_REFUSED, CALLBACK_REPLAYED.
REFUNDS = Counter("gateway_refunds_total", "Refunds and refund callbacks by outcome.", ["outcome"])
DB_CONNECTION_LOST = Counter(
    "gateway_db_connection_lost_total",
    "Work interrupted by a dropped database connection, by what followed (retried, unavailable).",
    ["action"],
)
READS = Counter(
    "gateway_db_reads_total",
    "GraphQL requests by the database server their connection came from (primary, replica).",
    ["target"],
)
REPLICA_LAG = Gauge(
    "gateway_db_replica_lag_seconds",
    "Replay lag of each read replica at its last check (-1: down or not a standby).",
    ["replica"],
    multiprocess_mode="livemax",
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


# Persisted document ids of requests without an operation name (refused before parsing, or anonymous):
# bounded apart from the names, so that unknown ids sent by a client cannot crowd out real operation names.
# A sha256 (as app/trusted_documents.py notes it: bare lowercase hex) is labelled `sha256:<hex>`; the other
# ids tools write (relay-compiler's MD5 or SHA-1 hex) `id:<hex>`; anything else is `invalid`.
_DOCUMENT_ID = re.compile(r"[0-9a-f]{64}")
_OTHER_ID = re.compile(r"[0-9a-f]{32}|[0-9a-f]{40}")
_MAX_DOCUMENTS = 100
_seen_documents: set[str] = set()


def operation_label(name: str | None, document_id: str | None = None) -> str:
    """The operation name; without one, `sha256:<hex>` / `id:<hex>` of the document the client named (refused
    documents included), `invalid` for an id of another shape, else `anonymous`; `other` past the bounds."""
    if not name:
        return _document_label(document_id) if document_id is not None else "anonymous"
    if not _NAME.fullmatch(name):
        return "invalid"
    if name not in _seen_names:
        if len(_seen_names) >= _MAX_NAMES:
            return "other"
        _seen_names.add(name)
    return name


def _document_label(document_id: str) -> str:
    if _DOCUMENT_ID.fullmatch(document_id):
        label = f"sha256:{document_id}"
    elif _OTHER_ID.fullmatch(document_id):
        label = f"id:{document_id}"
    else:
        return "invalid"
    if label not in _seen_documents:
        if len(_seen_documents) >= _MAX_DOCUMENTS:
            return "other"
        _seen_documents.add(label)
    return label


def observe_request(record: RequestRecord, duration: float) -> None:
    operation = operation_label(record.operation_name, record.document_id)
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


def observe_transaction(kind: str, status: str) -> None:
    """A ledger entry written (capturePayment, recordPayment, refundOrder...) or settled by a callback."""
    LEDGER.labels(kind, status).inc()


def observe_refund(outcome: str) -> None:
    """A refund or a refund callback, by outcome (see REFUNDS)."""
    REFUNDS.labels(outcome).inc()


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


def live_pids(directory: str) -> list[int]:
    """The processes whose live gauges are in the directory (every worker sets WORKERS at start-up; its
    files go at a clean exit), this one included, those without a /proc entry left out (killed)."""
    pids = {os.getpid()}
    for path in Path(directory).glob("gauge_live*_*.db"):
        pid = path.stem.rpartition("_")[2]
        if pid.isdigit():
            pids.add(int(pid))
    return sorted(pid for pid in pids if pid == os.getpid() or Path(f"/proc/{pid}").exists())


class WorkerProcesses(Collector):
    """prometheus-client's process metrics (CPU, memory, file descriptors, start time) of each live worker,
    read from /proc/<pid> at scrape time, with a `pid` label: the multiprocess collector has none, and the
    worker that answers a scrape can read its siblings' /proc entries (same user). Nothing off Linux."""

    def __init__(self, directory: str) -> None:
        self.directory = directory

    def collect(self) -> Iterable[Metric]:
        families: dict[str, Metric] = {}
        for pid in live_pids(self.directory):
            for metric in ProcessCollector(pid=lambda pid=pid: pid, registry=None).collect():
                family = families.setdefault(metric.name, Metric(metric.name, metric.documentation, metric.type))
                for sample in metric.samples:
                    family.add_sample(sample.name, {**sample.labels, "pid": str(pid)}, sample.value)
        return list(families.values())


def exposition() -> bytes:
    """The text exposition: summed over all worker processes in multiprocess mode, with each worker's
    process metrics and the platform's (python_info). Single-process: the default registry has both."""
    directory = multiprocess_dir()
    if directory:
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry, directory)
        registry.register(WorkerProcesses(directory))
        PlatformCollector(registry=registry)
        return generate_latest(registry)
    from prometheus_client import REGISTRY

    return generate_latest(REGISTRY)


def process_exit() -> None:
    """Drop this process's live gauges (multiprocess mode keeps files of dead processes otherwise)."""
    directory = multiprocess_dir()
    if directory:
        multiprocess.mark_process_dead(os.getpid(), directory)
