"""OpenTelemetry: one trace per request, the resolver spans under the operation, SQL spans under them."""

from __future__ import annotations

import httpx
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from app.asgi import create_app
from app.observability.tracing import tracing_requested
from app.settings import Settings
from tests.support.gateway import API_KEY, PASSWORD

LOGIN = 'mutation($p: String!) { createToken(email: "buyer@acme.example", password: $p) { token } }'


async def test_spans_of_one_request_form_one_trace(database_url: str) -> None:
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    app = create_app(Settings(database_url=database_url, env="test"), tracer_provider=provider)
    headers = {"dj-api-key": API_KEY, "dj-client": "ACCOUNT"}
    try:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://gw") as client:
            login = await client.post(
                "/graphql",
                json={"query": LOGIN, "variables": {"p": PASSWORD}},
                headers=headers,
            )
            assert login.json()["data"]["createToken"]["token"]
            exporter.clear()
            resp = await client.post(
                "/graphql",
                json={"query": "query Shelf { products(first: 3) { edges { node { name } } } }"},
                headers=headers,
            )
            assert resp.status_code == 200 and "errors" not in resp.json()
    finally:
        await app.state.engine.dispose()
    spans = exporter.get_finished_spans()
    assert len({s.context.trace_id for s in spans}) == 1  # one trace for the request
    by_id = {s.context.span_id: s for s in spans}
    roots = [s for s in spans if s.parent is None]
    assert len(roots) == 1 and roots[0].name.startswith("POST /graphql")
    [operation] = [s for s in spans if s.name == "GraphQL Query: Shelf"]
    resolver = next(s for s in spans if s.name == "GraphQL Resolving: products")
    assert resolver.parent.span_id == operation.context.span_id
    sql = [s for s in spans if s.attributes.get("db.statement") or s.attributes.get("db.query.text")]
    under_resolver = [s for s in sql if s.parent and s.parent.span_id == resolver.context.span_id]
    assert under_resolver, [(s.name, by_id.get(s.parent.span_id).name if s.parent else None) for s in sql]


async def test_no_password_in_spans(database_url: str) -> None:
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    app = create_app(Settings(database_url=database_url, env="test"), tracer_provider=provider)
    try:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://gw") as client:
            await client.post(
                "/graphql",
                json={
                    "query": 'mutation($p: String!) { a: createToken(email: "buyer@acme.example", password: $p) '
                    f'{{ token }} b: createToken(email: "x@y.example", password: "{PASSWORD}") {{ token }} }}',
                    "variables": {"p": PASSWORD},
                },
                headers={"dj-api-key": API_KEY, "dj-client": "ACCOUNT"},
            )
    finally:
        await app.state.engine.dispose()
    spans = exporter.get_finished_spans()
    assert any(s.name == "GraphQL Resolving: createToken" for s in spans)
    assert not [s.name for s in spans for v in s.attributes.values() if PASSWORD in str(v)]


def test_tracing_is_off_unless_the_otel_variables_ask(monkeypatch) -> None:  # noqa: ANN001
    for name in ("OTEL_TRACES_EXPORTER", "OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"):
        monkeypatch.delenv(name, raising=False)
    assert not tracing_requested()
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:4318")
    assert tracing_requested()
    monkeypatch.setenv("OTEL_SDK_DISABLED", "true")
    assert not tracing_requested()
