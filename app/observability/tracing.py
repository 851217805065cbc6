"""OpenTelemetry traces: off by default, on with the standard OTEL_* variables.

On when OTEL_TRACES_EXPORTER names an exporter (`otlp`, `console`) or an OTLP endpoint is set
(OTEL_EXPORTER_OTLP_ENDPOINT / OTEL_EXPORTER_OTLP_TRACES_ENDPOINT); OTEL_SDK_DISABLED=true wins. The
exporter reads its own OTEL_EXPORTER_OTLP_* variables; the resource is the SDK's own from OTEL_SERVICE_NAME
and OTEL_RESOURCE_ATTRIBUTES (service.name `commerce-gateway` and service.version the package's only where
neither sets them). One trace per request: the Starlette server span, under it Strawberry's operation span,
resolver spans, and SQLAlchemy's statement spans under the resolver that ran them. Background work (webhook
dispatch, payment sweep) makes a trace only when a poll found something to do: see `BackgroundTrace`.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from importlib.metadata import PackageNotFoundError, version
from typing import Any

from opentelemetry import context, trace
from opentelemetry.instrumentation.utils import suppress_instrumentation
from opentelemetry.sdk.resources import SERVICE_NAME, SERVICE_VERSION, OTELResourceDetector, Resource
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


def resource_from_environment() -> Resource:
    """The SDK's resource (OTEL_RESOURCE_ATTRIBUTES, OTEL_SERVICE_NAME, which wins over a service.name in
    the former): our defaults fill only what the environment leaves unset, they never override it."""
    given = OTELResourceDetector().detect().attributes
    defaults: dict[str, str] = {SERVICE_NAME: "commerce-gateway"}
    with suppress(PackageNotFoundError):
        defaults[SERVICE_VERSION] = version("commerce-gateway")
    return Resource.create({k: v for k, v in defaults.items() if k not in given})


def provider_from_environment() -> TracerProvider | None:
    """The process's tracer provider when the environment asks for traces, else None (made once)."""
    global _provider
    if _provider is not None or not tracing_requested():
        return _provider
    provider = TracerProvider(resource=resource_from_environment())
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


class BackgroundTrace:
    """The trace of one poll of a background loop, started only once the poll found work.

    An idle poll (the dispatcher's claim, the sweep's look for due payments) runs `quiet()`: instrumentation
    is suppressed, so its statements make no root spans. When the poll finds work, `begin()` starts the
    poll's root span, back-dated to the poll's start, and makes it current: what follows (the claim's lease
    updates, deliveries, their SQL) is under it. `end()` closes it (a no-op for an idle poll); all three
    must run in the same task (the span is attached to its context).
    """

    def __init__(self, provider: TracerProvider | None, name: str) -> None:
        self._tracer = provider.get_tracer("app.background") if provider is not None else None
        self._name = name
        self._started = time.time_ns()
        self._span: trace.Span | None = None
        self._token: object | None = None

    def __enter__(self) -> BackgroundTrace:
        return self

    def __exit__(self, _type: object, error: BaseException | None, _tb: object) -> None:
        self.end(error)

    @contextmanager
    def quiet(self) -> Iterator[None]:
        with suppress_instrumentation():
            yield

    def begin(self, **attributes: str | int) -> None:
        if self._tracer is None or self._span is not None:
            return
        self._span = self._tracer.start_span(self._name, start_time=self._started, attributes=attributes)
        self._token = context.attach(trace.set_span_in_context(self._span))

    def set(self, key: str, value: str | int) -> None:
        if self._span is not None:
            self._span.set_attribute(key, value)

    @contextmanager
    def child(self, name: str, **attributes: str | int) -> Iterator[trace.Span | None]:
        """A span under the poll's (in this task or one it started); nothing for an untraced poll."""
        if self._span is None:
            yield None
            return
        with self._tracer.start_as_current_span(name, attributes=attributes) as span:
            yield span

    def end(self, error: BaseException | None = None) -> None:
        if self._span is None:
            return
        if error is not None:
            self._span.record_exception(error)
            self._span.set_status(trace.StatusCode.ERROR, type(error).__name__)
        context.detach(self._token)
        self._span.end()
        self._span = self._token = None


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
