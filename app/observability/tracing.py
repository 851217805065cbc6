"""OpenTelemetry traces: off by default, on with the standard OTEL_* variables.

On when OTEL_TRACES_EXPORTER names an exporter (`otlp`, `console`) or an OTLP endpoint is set
(OTEL_EXPORTER_OTLP_ENDPOINT / OTEL_EXPORTER_OTLP_TRACES_ENDPOINT); OTEL_SDK_DISABLED=true wins. The
exporter reads its own OTEL_EXPORTER_OTLP_* variables; the resource OTEL_SERVICE_NAME and
OTEL_RESOURCE_ATTRIBUTES. One trace per request: the Starlette server span, under it Strawberry's
operation span, resolver spans, and SQLAlchemy's statement spans under the resolver that ran them.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import suppress
from typing import Any

from opentelemetry import trace
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, ConsoleSpanExporter
from strawberry.extensions import LifecycleStep
from strawberry.extensions.tracing import OpenTelemetryExtension

_SECRET_ARG = re.compile(r"pass(word)?|secret|token", re.I)
_STRING_LITERAL = re.compile(r'"""(?:[^"\\]|\\.|"(?!""))*"""|"(?:[^"\\\n]|\\.)*"')

_provider: TracerProvider | None = None


def tracing_requested() -> bool:
    env = os.environ
    if env.get("OTEL_SDK_DISABLED", "").lower() == "true":
        return False
    exporter = env.get("OTEL_TRACES_EXPORTER", "").strip().lower()
    if exporter:
        return exporter != "none"
    return bool(env.get("OTEL_EXPORTER_OTLP_ENDPOINT") or env.get("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"))


def provider_from_environment() -> TracerProvider | None:
    """The process's tracer provider when the environment asks for traces, else None (made once)."""
    global _provider
    if _provider is not None or not tracing_requested():
        return _provider
    provider = TracerProvider(resource=Resource.create({"service.name": "commerce-gateway"}))
    for name in (os.environ.get("OTEL_TRACES_EXPORTER") or "otlp").split(","):
        name = name.strip().lower()
        if name == "console":
            provider.add_span_processor(BatchSpanProcessor(ConsoleSpanExporter()))
        elif name == "otlp":
            from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

            provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
    trace.set_tracer_provider(provider)
    _provider = provider
    return provider


def instrument(app: Any, engine: Any, provider: TracerProvider) -> None:
    from opentelemetry.instrumentation.sqlalchemy.engine import EngineTracer
    from opentelemetry.instrumentation.sqlalchemy.version import __version__
    from opentelemetry.instrumentation.starlette import StarletteInstrumentor
    from opentelemetry.metrics import NoOpMeterProvider

    StarletteInstrumentor.instrument_app(app, tracer_provider=provider)
    # The instrumentation's per-engine tracer, attached directly: SQLAlchemyInstrumentor().instrument() is a
    # process-wide singleton (a second app, as in tests, would stay untraced) that also patches create_engine,
    # and it refuses SQLAlchemy 2.1 by version range although its event listeners work unchanged.
    tracer = provider.get_tracer("opentelemetry.instrumentation.sqlalchemy", __version__)
    usage = NoOpMeterProvider().get_meter("sqlalchemy").create_up_down_counter("db.client.connections.usage")
    EngineTracer(tracer, engine.sync_engine, usage)


def _without_secrets(args: dict[str, Any], _info: Any) -> dict[str, Any]:
    return {k: v for k, v in args.items() if not _SECRET_ARG.search(k)}


class GatewayTracing(OpenTelemetryExtension):
    """Strawberry's extension, minus secrets: no password or token arguments on resolver spans, and the
    document text on the operation span has its string literals replaced (inline passwords)."""

    def __init__(self, *, tracer_provider: TracerProvider, execution_context: Any = None) -> None:
        super().__init__(
            execution_context=execution_context, arg_filter=_without_secrets, tracer_provider=tracer_provider
        )

    def on_operation(self) -> Iterator[None]:
        steps = super().on_operation()
        next(steps)
        if self.execution_context.query:
            span = self._span_holder[LifecycleStep.OPERATION]
            span.set_attribute("query", _STRING_LITERAL.sub('"?"', self.execution_context.query))
        try:
            yield
        finally:
            with suppress(StopIteration):
                next(steps)
