"""OpenTelemetry: one trace per request, the resolver spans under the operation, SQL spans under them; the
resource from the standard OTEL_* variables; background polls traced only when they did work."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from sqlalchemy import update

from app.asgi import create_app
from app.dispatcher import Dispatcher
from app.models import Payment
from app.observability.tracing import resource_from_environment, tracing_requested
from app.settings import Settings
from app.sweeper import sweep_once
from tests.support.documents import PLACE, offer_ids, ready_draft
from tests.support.gateway import API_KEY, PASSWORD, Gateway
from tests.support.payments import cart_with, checkout, served
from tests.support.webhook_receiver import receiver
from tests.support.webhooks import subscribe

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


def _recording(provider: TracerProvider | None = None) -> tuple[TracerProvider, InMemorySpanExporter]:
    exporter = InMemorySpanExporter()
    provider = provider or TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    return provider, exporter


@pytest.fixture
def otel_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for name in ("OTEL_SERVICE_NAME", "OTEL_RESOURCE_ATTRIBUTES"):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


async def test_exported_spans_carry_the_service_name_of_otel_service_name(
    database_url: str, otel_env: pytest.MonkeyPatch
) -> None:
    otel_env.setenv("OTEL_SERVICE_NAME", "shop-eu-gateway")
    otel_env.setenv("OTEL_RESOURCE_ATTRIBUTES", "deployment.environment=staging,service.name=overridden")
    provider, exporter = _recording(TracerProvider(resource=resource_from_environment()))
    app = create_app(Settings(database_url=database_url, env="test"), tracer_provider=provider)
    try:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://gw") as client:
            resp = await client.post(
                "/graphql",
                json={"query": "query Shelf { products(first: 1) { totalCount } }"},
                headers={"dj-api-key": API_KEY, "dj-client": "ACCOUNT"},
            )
            assert resp.status_code == 200 and "errors" not in resp.json()
    finally:
        await app.state.engine.dispose()
    spans = exporter.get_finished_spans()
    assert len(spans) > 3
    # OTEL_SERVICE_NAME wins over a service.name in OTEL_RESOURCE_ATTRIBUTES (the specification's rule).
    assert {s.resource.attributes["service.name"] for s in spans} == {"shop-eu-gateway"}
    assert {s.resource.attributes["deployment.environment"] for s in spans} == {"staging"}


def test_the_default_service_name_only_where_the_environment_sets_none(otel_env: pytest.MonkeyPatch) -> None:
    default = resource_from_environment().attributes
    assert default["service.name"] == "commerce-gateway" and default["service.version"]
    otel_env.setenv("OTEL_RESOURCE_ATTRIBUTES", "service.name=from-attributes,service.version=7")
    given = resource_from_environment().attributes
    assert (given["service.name"], given["service.version"]) == ("from-attributes", "7")


@pytest.fixture
async def traced(database_url: str) -> AsyncIterator[tuple[Gateway, TracerProvider, InMemorySpanExporter]]:
    provider, exporter = _recording()
    settings = Settings(database_url=database_url, env="test")
    app = create_app(settings, tracer_provider=provider)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://gw", timeout=60) as client:
        yield Gateway(app=app, client=client, settings=settings), provider, exporter
    await app.state.engine.dispose()


async def test_idle_polls_make_no_span_and_a_delivering_poll_one_trace(traced) -> None:  # noqa: ANN001
    gw, provider, exporter = traced
    dispatcher = Dispatcher(gw.session_factory, gw.settings, tracer_provider=provider)
    exporter.clear()
    assert await dispatcher.run_once() == 0
    assert await sweep_once(gw.session_factory, provider) == 0
    assert exporter.get_finished_spans() == ()  # the claim's and the sweep's statements included

    operator = await gw.as_user("operator@demo.example", client="OPERATOR")
    acme = await gw.as_user("buyer@acme.example")
    offers = await offer_ids(gw, acme)
    with receiver() as hooks:
        await subscribe(gw, operator, hooks.url, ["ORDER_PLACED"])
        draft = await ready_draft(gw, acme, offers, "NOTEBOOK", 1)
        assert (await gw.data(PLACE, {"id": draft["id"]}, acme))["placeDraftOrder"]["errors"] == []
        exporter.clear()
        assert await dispatcher.run_once() == 1
        assert len(hooks.calls) == 1
    spans = exporter.get_finished_spans()
    [root] = [s for s in spans if s.parent is None]
    assert root.name == "webhook dispatch" and root.attributes["webhook.claimed"] == 1
    assert len({s.context.trace_id for s in spans}) == 1
    [delivery] = [s for s in spans if s.name == "webhook delivery"]
    assert delivery.parent.span_id == root.context.span_id
    assert (delivery.attributes["webhook.outcome"], delivery.attributes["http.response.status_code"]) == (
        "delivered",
        200,
    )
    statements = [s.attributes.get("db.statement") or s.attributes.get("db.query.text") or "" for s in spans]
    assert any(text.lstrip().upper().startswith("UPDATE WEBHOOK_DELIVER") for text in statements), statements

    exporter.clear()
    assert await dispatcher.run_once() == 0
    assert exporter.get_finished_spans() == ()


async def test_a_sweep_that_expires_a_payment_is_one_trace(database_url: str) -> None:
    provider, exporter = _recording()
    async with served(database_url) as live:
        acme = await live.as_user("buyer@acme.example")
        offers = await offer_ids(live, acme)
        await cart_with(live, acme, offers, {"STAPLER": 1})
        assert (await checkout(live, acme))["errors"] == []
        assert await sweep_once(live.session_factory, provider) == 0  # not yet due
        assert exporter.get_finished_spans() == ()
        async with live.session_factory() as s, s.begin():
            await s.execute(update(Payment).values(expires_at=Payment.created_at))  # its time has passed
        assert await sweep_once(live.session_factory, provider) == 1
    [span] = exporter.get_finished_spans()
    assert span.name == "payment sweep" and span.attributes["payments.expired"] == 1 and span.parent is None
