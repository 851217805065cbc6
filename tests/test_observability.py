"""Request ids, one structured log line per request, masked INTERNAL errors, /metrics."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import httpx
import pytest

from app.asgi import create_app
from app.observability.metrics import WorkerProcesses
from app.services.common import faults
from app.settings import Settings, get_settings
from tests.support.documents import PLACE, offer_ids, ready_draft
from tests.support.gateway import PASSWORD, Gateway
from tests.support.logs import LOG_BUFFER
from tests.support.metrics import samples


class Lines:
    """The JSON log lines written from now on."""

    def __init__(self) -> None:
        self.start = len(LOG_BUFFER.text())

    def all(self) -> list[dict]:
        return [json.loads(line) for line in LOG_BUFFER.text()[self.start :].splitlines() if line.strip()]

    def of(self, request_id: str) -> list[dict]:
        return [line for line in self.all() if line.get("request_id") == request_id]


async def test_request_id_is_echoed_and_on_the_log_line(gw: Gateway) -> None:
    lines = Lines()
    rid = f"req-{uuid.uuid4().hex}"
    resp = await gw.client.post(
        "/graphql",
        json={"query": "query Who { viewer { store { externalId } } }"},
        headers={**gw.headers(), "x-request-id": rid},
    )
    assert resp.status_code == 200 and resp.headers["x-request-id"] == rid
    [line] = lines.of(rid)
    assert line["event"] == "request" and line["level"] == "info"
    assert (line["operation"], line["operation_type"], line["client"], line["status"]) == (
        "Who",
        "query",
        "ACCOUNT",
        200,
    )
    assert line["tenant"] and line["sql_statements"] >= 1 and line["duration_ms"] > 0 and line["error_codes"] == []


async def test_traceparent_gives_the_request_id_and_one_is_generated_otherwise(gw: Gateway) -> None:
    trace_id = uuid.uuid4().hex
    resp = await gw.client.post(
        "/graphql",
        json={"query": "{ viewer { store { externalId } } }"},
        headers={**gw.headers(), "traceparent": f"00-{trace_id}-00f067aa0ba902b7-01"},
    )
    assert resp.headers["x-request-id"] == trace_id
    first = await gw.post("{ viewer { store { externalId } } }")
    second = await gw.post("{ viewer { store { externalId } } }", headers={**gw.headers(), "x-request-id": "bad id\t!"})
    generated = {first.headers["x-request-id"], second.headers["x-request-id"]}
    assert len(generated) == 2 and all(len(g) == 32 for g in generated)


async def test_internal_error_carries_the_request_id_of_its_logged_traceback(gw: Gateway) -> None:
    acme = await gw.as_user("buyer@acme.example")
    offers = await offer_ids(gw, acme)
    draft = await ready_draft(gw, acme, offers, "NOTEBOOK", 1)

    async def boom() -> None:
        raise RuntimeError("disk on fire")

    faults.register("placement.before_commit", boom)
    lines = Lines()
    rid = f"internal-{uuid.uuid4().hex[:8]}"
    try:
        resp = await gw.post(PLACE, {"id": draft["id"]}, {**acme, "x-request-id": rid})
    finally:
        faults.clear("placement.before_commit")
    [error] = resp.json()["errors"]
    assert error["message"] == "Internal error." and "disk on fire" not in resp.text
    assert error["extensions"] == {"code": "INTERNAL", "requestId": rid}
    logged = lines.of(rid)
    tracebacks = [line for line in logged if "exception" in line]
    assert len(tracebacks) == 1 and "RuntimeError: disk on fire" in tracebacks[0]["exception"]
    [request_line] = [line for line in logged if line["event"] == "request"]
    assert request_line["level"] == "error" and request_line["error_codes"] == ["INTERNAL"]


@pytest.mark.parametrize(
    ("query", "headers", "code", "status"),
    [
        ('{ products(first: 5, after: "not-a-cursor") { totalCount } }', None, "BAD_REQUEST", 200),
        ("{ viewer { store { externalId } } }", {"dj-client": "ACCOUNT"}, "UNAUTHENTICATED", 401),
        ("{ products(first: 5) { totalCount ", None, "BAD_REQUEST", 200),
    ],
    ids=["bad-cursor", "missing-key", "syntax"],
)
async def test_client_error_is_one_line_without_traceback(
    gw: Gateway, query: str, headers: dict | None, code: str, status: int
) -> None:
    lines = Lines()
    rid = f"client-{uuid.uuid4().hex[:8]}"
    resp = await gw.client.post(
        "/graphql", json={"query": query}, headers={**(headers or gw.headers()), "x-request-id": rid}
    )
    assert resp.status_code == status
    [line] = lines.of(rid)
    assert line["event"] == "request" and line["level"] == "info" and line["error_codes"] == [code]
    assert "exception" not in line


async def test_payload_errors_of_mutations_are_on_the_line_and_passwords_never(gw: Gateway) -> None:
    lines = Lines()
    rid = f"login-{uuid.uuid4().hex[:8]}"
    resp = await gw.client.post(
        "/graphql",
        json={
            "query": "mutation Login($e: String!, $p: String!) { createToken(email: $e, password: $p) "
            "{ token errors { code } } }",
            "variables": {"e": "buyer@acme.example", "p": PASSWORD + "-wrong"},
        },
        headers={**gw.headers(), "x-request-id": rid, "Authorization": "Bearer not-a-real-token-but-secret"},
    )
    assert resp.status_code == 401  # a bad token is refused before anything runs
    resp = await gw.client.post(
        "/graphql",
        json={
            "query": "mutation Login($e: String!, $p: String!) { createToken(email: $e, password: $p) "
            "{ token errors { code } } }",
            "variables": {"e": "buyer@acme.example", "p": PASSWORD + "-wrong"},
        },
        headers={**gw.headers(), "x-request-id": rid},
    )
    assert resp.json()["data"]["createToken"]["errors"] == [{"code": "INVALID_CREDENTIALS"}]
    logged = lines.of(rid)
    assert [line["error_codes"] for line in logged] == [["UNAUTHENTICATED"], ["INVALID_CREDENTIALS"]]
    text = LOG_BUFFER.text()[lines.start :]
    assert PASSWORD not in text and "not-a-real-token-but-secret" not in text


async def test_metrics_count_operations_errors_and_placements(gw: Gateway) -> None:
    op = f"Probe{uuid.uuid4().hex[:8]}"
    for _ in range(3):
        await gw.data(f"query {op} {{ viewer {{ store {{ externalId }} }} }}")
    await gw.gql(f'query {op} {{ products(first: 1, after: "x") {{ totalCount }} }}')
    acme = await gw.as_user("buyer@acme.example")
    offers = await offer_ids(gw, acme)
    before = (await gw.client.get("/metrics")).text
    draft = await ready_draft(gw, acme, offers, "NOTEBOOK", 1)
    placed = await gw.data(PLACE, {"id": draft["id"]}, acme)
    assert placed["placeDraftOrder"]["errors"] == []
    resp = await gw.client.get("/metrics")
    assert resp.status_code == 200 and resp.headers["content-type"].startswith("text/plain")
    text = resp.text
    assert samples(text, "gateway_requests_total", operation=op, operation_type="query") == 4
    assert samples(text, "gateway_request_duration_seconds_count", operation=op) == 4
    assert samples(text, "gateway_graphql_errors_total", operation=op, code="BAD_REQUEST") == 1
    assert samples(text, "gateway_placements_total", outcome="placed") == (
        samples(before, "gateway_placements_total", outcome="placed") + 1
    )
    assert samples(text, "gateway_sql_statements_per_request_count", operation_type="mutation") > 0
    assert "gateway_db_pool_connections_in_use" in text and "gateway_payments_total" in text
    assert "gateway_stock_reservations_refused_total" in text
    assert samples(text, "process_cpu_seconds_total") > 0 and "python_info{" in text  # one process: its own
    # The largest latency bucket is the request limit (GATEWAY_MAX_REQUEST_SECONDS, 30 s by default).
    bounds = {
        float(line.split('le="')[1].split('"')[0])
        for line in text.splitlines()
        if line.startswith("gateway_request_duration_seconds_bucket{") and f'operation="{op}"' in line
    }
    assert max(bounds - {float("inf")}) == get_settings().max_request_seconds == 30


async def test_metrics_are_off_or_token_protected_in_production(database_url: str) -> None:
    for settings, headers, status in [
        (Settings(database_url=database_url, env="production"), {}, 404),
        (Settings(database_url=database_url, env="production", metrics_token="scrape-secret"), {}, 401),
        (
            Settings(database_url=database_url, env="production", metrics_token="scrape-secret"),
            {"Authorization": "Bearer scrape-secret"},
            200,
        ),
        (Settings(database_url=database_url, env="development", metrics=False), {}, 404),
    ]:
        app = create_app(settings)
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://gw") as client:
            assert (await client.get("/metrics", headers=headers)).status_code == status
        await app.state.engine.dispose()


def test_process_metrics_of_every_live_worker_with_its_pid(tmp_path: Path) -> None:
    """Multiprocess mode: the scraped worker reads each live sibling's /proc entry (not a killed one's)."""
    sibling = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    try:
        for pid in (sibling.pid, gone.pid):  # what a worker's WORKERS gauge leaves in the directory
            (tmp_path / f"gauge_livesum_{pid}.db").touch()
        families = {m.name: m for m in WorkerProcesses(str(tmp_path)).collect()}
    finally:
        sibling.kill()
        sibling.wait()
    cpu = families["process_cpu_seconds"]
    assert {s.labels["pid"] for s in cpu.samples} == {str(os.getpid()), str(sibling.pid)}
    assert all(s.name == "process_cpu_seconds_total" for s in cpu.samples)
    assert len(families["process_resident_memory_bytes"].samples) == 2
