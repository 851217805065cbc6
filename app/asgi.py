"""The ASGI application: /graphql (with GraphiQL in development) and /health."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import TYPE_CHECKING
from urllib.parse import unquote_to_bytes

from cross_web import HTTPException
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.types import Receive, Scope, Send
from strawberry.asgi import GraphQL

from app.context import LOST_READ, RequestContext, ServiceUnavailable
from app.db import DatabaseUnavailable, is_disconnect, make_engine, make_session_factory, request_session
from app.db_replicas import PRIMARY, REPLICA, WAL_POSITION_HEADER, ReadRouter, count_read, format_lsn, is_query_request
from app.dispatcher import Dispatcher
from app.graphiql import GraphiQLPage, graphiql_routes
from app.http import install_edge
from app.http.edge import DOCUMENT_ID_PARAMS, EdgeRefusal, check_request, clean_errors, timed_out, unavailable
from app.http.graphql_over_http import GraphQLHTTPEdge, GraphQLOverHTTP
from app.http.payments import payment_config, payment_routes
from app.http.sandbox_psp import sandbox_routes
from app.http.stripe_webhook import stripe_routes
from app.listener import Listener, listen_dsn
from app.observability import metrics, record, tracing
from app.observability.http import metrics_route
from app.observability.logging import configure_logging
from app.observability.middleware import RequestObservability
from app.schema import build_schema
from app.services.access.request_context import AccessDenied, resolve_caller
from app.services.common.caller import Caller
from app.services.common.errors import TopLevelCode
from app.services.events import notify
from app.settings import Settings, get_settings
from app.sweeper import sweep_payments
from app.trusted_documents import TrustedDocuments, load_manifest

if TYPE_CHECKING:
    from opentelemetry.sdk.trace import TracerProvider

log = logging.getLogger("app")  # standard-library logger: formatted by structlog (app.observability.logging)

# A NUL character in text: raw, as a JSON escape, or as a GraphQL escape (\u0000, \u{0}). PostgreSQL cannot
# store it in text columns, and no legitimate commerce input contains one: refused before anything runs.
_NUL = re.compile(rb"\x00|\\u0000|\\u\{0+\}")


def _bad_request(message: str, status: int = 400, code: str = TopLevelCode.BAD_REQUEST.value) -> JSONResponse:
    return JSONResponse(
        {"data": None, "errors": [{"message": message, "extensions": {"code": code}}]}, status_code=status
    )


# The request's persisted document id (`documentId` / `doc_id`), read by the edge checks, kept for execution.
DOCUMENT_ID = "gateway.document_id"


def _names_a_document(request: Request) -> bool:
    """A GET that is a GraphQL request (its document as text, an id or a persisted query hash), not a page."""
    return any(name in request.query_params for name in ("query", "extensions", *DOCUMENT_ID_PARAMS))


def _wants_graphiql(request: Request) -> bool:
    return (
        request.method == "GET" and "text/html" in request.headers.get("accept", "") and not _names_a_document(request)
    )


class _OnPrimary(Exception):
    """A query begun on a read replica must run on the primary instead: the replica lost its connection, or does
    not know the caller yet (a token created a moment ago)."""

    def __init__(self, *, lost: bool) -> None:
        super().__init__()
        self.lost = lost


class GatewayGraphQL(GraphiQLPage, GraphQLOverHTTP, GraphQL):
    """Resolves the caller before anything runs: a refused request never reaches execution."""

    def __init__(self, settings: Settings, session_factory, tracer_provider=None, router=None, **kw) -> None:  # noqa: ANN001, ANN003
        ide = "graphiql" if settings.graphiql_enabled else None
        super().__init__(build_schema(settings, tracer_provider), graphql_ide=ide, **kw)
        self.settings = settings
        self.session_factory = session_factory
        self.router: ReadRouter | None = router  # read replicas (app/db_replicas.py); None: all on the primary
        manifest = load_manifest(settings.trusted_documents) if settings.trusted_documents else None
        self.trusted = TrustedDocuments(manifest, settings.apq_cache_size)

    def should_render_graphql_ide(self, request) -> bool:  # noqa: ANN001
        """Strawberry's test (a GET without `query`) also matches a GET with a document id: that one runs."""
        return super().should_render_graphql_ide(request) and not any(
            name in request.query_params for name in ("extensions", *DOCUMENT_ID_PARAMS)
        )

    async def execute_operation(self, request: Request, request_data, context: RequestContext, **kw):  # noqa: ANN001, ANN003, ANN201
        """Persisted documents (app/trusted_documents.py): the text comes from the manifest or the tenant's
        automatic persisted queries, or the request is refused before parsing; a new automatic persisted
        query is remembered once its request got past parsing and validation."""
        request_data, registration = self.trusted.resolve(
            request_data, context.caller.tenant_id, request.scope.get(DOCUMENT_ID)
        )
        result = await super().execute_operation(request=request, request_data=request_data, context=context, **kw)
        errors = getattr(result, "errors", None) or ()
        if registration is not None and (
            getattr(result, "data", None) is not None or not errors or any(e.path for e in errors)
        ):
            self.trusted.register(registration)
        return result

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await Response(status_code=404)(scope, receive, send)
            return
        request = Request(scope, receive=receive)
        if _wants_graphiql(request):
            response = await self._ide(request)
            await response(scope, receive, send)
            return
        declared = request.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.settings.max_body_bytes:
            await _bad_request("request body too large", 413)(scope, receive, send)
            return
        body = await request.body()  # cached by Starlette for the GraphQL view
        if len(body) > self.settings.max_body_bytes:
            await _bad_request("request body too large", 413)(scope, receive, send)
            return
        if _NUL.search(body) or _NUL.search(unquote_to_bytes(request.url.query)):
            await _bad_request("text input must not contain NUL characters")(scope, receive, send)
            return
        try:
            request.scope[DOCUMENT_ID] = check_request(request, body)
        except EdgeRefusal as refusal:
            await refusal.response()(scope, receive, send)
            return
        try:
            response = await self._on_connection(request, body)
        except DatabaseUnavailable as down:
            log.warning("no database connection for a request: %s", down)
            if rec := record.current():
                rec.note_errors([TopLevelCode.SERVICE_UNAVAILABLE.value])
            response = unavailable(LOST_READ)
        if retry_after := getattr(request.state, "retry_after", None):  # set by a throttled createToken
            response.headers["Retry-After"] = str(retry_after)
        await response(scope, receive, send)

    async def _on_connection(self, request: Request, body: bytes) -> Response:
        """Answer on one connection checked out for the whole request: a read replica's for a query when one
        is usable (app/db_replicas.py), else the primary's; a committed request's answer carries the primary's
        WAL position after the commit."""
        router = self.router
        if router is None:
            async with request_session(self.session_factory) as session:  # one checkout for the request
                return await self._answer(request, session)
        conn = None
        lookup = self.trusted.lookup if self.trusted.documents is not None else None
        if is_query_request(request, body, lookup):
            conn = await router.replica_connection(request)
        if conn is not None:
            try:
                async with request_session(self.session_factory, conn) as session:
                    response = await self._answer(request, session, on_replica=True)
                count_read(REPLICA)
                return response
            except _OnPrimary as moved:
                if moved.lost:
                    router.replica_lost(conn)
                # it ran nothing visible: the request runs again, on the primary
        async with request_session(self.session_factory) as session:
            response = await self._answer(request, session)
            count_read(PRIMARY)
            if getattr(request.state, "committed", False):
                try:
                    lsn = await router.commit_position(session)
                except (SQLAlchemyError, OSError):
                    lsn = None  # the connection dropped after the commit: no position to give
                if lsn is not None:
                    router.remember_write(request, lsn)
                    response.headers[WAL_POSITION_HEADER] = format_lsn(lsn)
        return response

    async def _answer(self, request: Request, session: AsyncSession, on_replica: bool = False) -> Response:
        try:
            caller = await self._resolve_caller(session, request)
        except (AccessDenied, ServiceUnavailable) as refused:
            if on_replica:  # a caller the replica does not know yet, or a replica that went away
                raise _OnPrimary(lost=isinstance(refused, ServiceUnavailable)) from refused
            return self._refused_caller(refused)
        except Exception:  # noqa: BLE001 - masked, logged
            if on_replica:  # the replica failed in some other way: the primary answers
                log.warning("resolving the caller on a read replica failed: running on the primary", exc_info=True)
                raise _OnPrimary(lost=True) from None
            log.exception("request context resolution failed")
            internal = {"code": TopLevelCode.INTERNAL.value, "requestId": record.current_request_id()}
            return JSONResponse(
                {"data": None, "errors": [{"message": "Internal error.", "extensions": internal}]}, status_code=500
            )
        return await self._execute(request, session, caller, on_replica)

    @staticmethod
    def _refused_caller(refused: AccessDenied | ServiceUnavailable) -> Response:
        rec = record.current()
        if isinstance(refused, ServiceUnavailable):
            if rec:
                rec.note_errors([TopLevelCode.SERVICE_UNAVAILABLE.value])
            return unavailable(refused.message)
        if rec:
            rec.note_errors([refused.code])
        return JSONResponse(
            {"data": None, "errors": [{"message": refused.message, "extensions": {"code": refused.code}}]},
            status_code=refused.http_status,
        )

    async def _execute(self, request: Request, session: AsyncSession, caller: Caller, on_replica: bool) -> Response:
        rec = record.current()
        if rec:
            rec.tenant_id, rec.client = caller.tenant_id, caller.client
        context = RequestContext(request=request, response=None, settings=self.settings, session=session, caller=caller)
        try:
            async with asyncio.timeout(self.settings.max_request_seconds):
                response = await self.run(request, context=context)
                await context.finish()
                if context.connection_lost and on_replica and not context.wrote:
                    # Only reads ran, on a replica that went away: run the request on the primary.
                    metrics.DB_CONNECTION_LOST.labels(action="retried").inc()
                    request.scope.pop("graphql_status", None)
                    raise _OnPrimary(lost=True)
                if context.connection_lost and not context.wrote:
                    # Only reads ran, and one of them lost the connection: run the request once more on a
                    # fresh connection (the session's rollback lets its connection reconnect).
                    metrics.DB_CONNECTION_LOST.labels(action="retried").inc()
                    await session.rollback()
                    request.scope.pop("graphql_status", None)
                    context = RequestContext(
                        request=request, response=None, settings=self.settings, session=session, caller=caller
                    )
                    response = await self.run(request, context=context)
                    await context.finish()
        except HTTPException as e:
            code = getattr(e, "code", TopLevelCode.BAD_REQUEST.value)
            if rec:
                rec.note_errors([code])
            return _bad_request(e.reason, e.status_code, code)
        except TimeoutError:  # the work was cancelled; its unit of work rolled back
            if rec:
                rec.note_errors([TopLevelCode.TIMEOUT.value])
            await session.invalidate()  # a connection cancelled mid-statement is not reused
            return timed_out(self.settings.max_request_seconds)
        if context.committed:
            request.state.committed = True  # the answer carries the WAL position (app/db_replicas.py)
        if context.connection_lost and not context.committed:
            # Nothing of this request was committed: a plain 503 the client may retry.
            response.status_code = 503
            response.headers["Retry-After"] = "1"
        return response

    async def _resolve_caller(self, session: AsyncSession, request: Request) -> Caller:
        """The caller, read in the request's first read snapshot: the reads of the operation continue it (one
        BEGIN per request, not two), and it ends with a rollback like every read (RequestContext.read, or
        before the first unit of work). Retried once on a fresh connection if the connection dropped."""
        for attempt in (1, 2):
            try:
                return await resolve_caller(session, request.headers)
            except DBAPIError as exc:
                if not is_disconnect(exc):
                    raise
                await session.rollback()  # the next statement reconnects
                if attempt == 2:
                    metrics.DB_CONNECTION_LOST.labels(action="unavailable").inc()
                    raise ServiceUnavailable(LOST_READ) from exc
                metrics.DB_CONNECTION_LOST.labels(action="retried").inc()
                log.warning("database connection lost while resolving the caller: retrying once")
        raise AssertionError("unreachable")

    async def process_result(self, request, result):  # noqa: ANN001, ANN201
        """Every top-level error carries extensions.code; request errors (parse, validation, limits) that
        graphql-core reports without one are BAD_REQUEST."""
        data = await super().process_result(request, result)
        codes = []
        for error in data.get("errors") or ():
            extensions = error.setdefault("extensions", {})
            codes.append(extensions.setdefault("code", TopLevelCode.BAD_REQUEST.value))
        if codes and (rec := record.current()) is not None:
            rec.note_errors(codes)
        clean_errors(data.get("errors") or [], production=self.settings.env == "production")
        return data

    async def _ide(self, request: Request) -> Response:
        if not self.graphql_ide:
            return Response("Not Found", status_code=404)
        return await self.render_graphql_ide(request)


def create_app(
    settings: Settings | None = None, *, observe: bool = True, tracer_provider: TracerProvider | None = None
) -> Starlette:
    """`observe=False` drops the request log line and metrics (benchmarks measure their cost);
    `tracer_provider` defaults to the one the OTEL_* variables ask for (none: no tracing)."""
    settings = settings or get_settings()
    configure_logging(settings)
    tracer_provider = tracer_provider or tracing.provider_from_environment()
    engine = make_engine(settings)
    if observe:
        metrics.observe_engine(engine, 2 * settings.db_pool_size)
    session_factory = make_session_factory(engine)
    router = ReadRouter.from_settings(settings, engine)
    if observe and router is not None:
        for replica in router.replicas:
            metrics.observe_engine(replica.engine, 2 * settings.db_pool_size * (1 + len(router.replicas)))
    graphql = GatewayGraphQL(settings, session_factory, tracer_provider, router=router)

    async def health(_request: Request) -> JSONResponse:
        """The primary's state (503 when unreachable) and, with read replicas, each one's (reads skip a replica
        that is not `ok`; the gateway still answers)."""
        replicas = {"replicas": await router.health()} if router is not None else {}
        try:
            async with engine.connect() as conn:
                await conn.execute(text("SELECT 1"))
        except (SQLAlchemyError, OSError) as exc:
            log.warning("health check failed: %s", exc)
            return JSONResponse({"status": "unavailable", "database": "unreachable", **replicas}, status_code=503)
        return JSONResponse({"status": "ok", "database": "ok", **replicas})

    @contextlib.asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        metrics.WORKERS.set(1)
        stop = asyncio.Event()
        # PostgreSQL LISTEN/NOTIFY wakes the dispatcher and the sweep at a commit that gave them work.
        background = settings.webhook_dispatch or settings.payment_sweep_seconds > 0
        dsn = listen_dsn(settings) if background else None
        listener = Listener(dsn, notify.CHANNELS) if dsn is not None else None
        listening = asyncio.create_task(listener.run(stop)) if listener is not None else None
        dispatching = (
            asyncio.create_task(
                Dispatcher(session_factory, settings, tracer_provider=tracer_provider).run(stop, listener)
            )
            if settings.webhook_dispatch
            else None
        )
        sweeping = (
            asyncio.create_task(
                sweep_payments(
                    session_factory,
                    settings.payment_sweep_seconds,
                    stop,
                    tracer_provider,
                    # no request here: the providers' URLs come from the settings (or the attempt's own page)
                    authorizations=(
                        payment_config(settings, settings.public_url or ""),
                        timedelta(seconds=settings.authorization_lifetime_seconds),
                    ),
                    listener=listener,
                    listen_every_seconds=settings.listen_poll_seconds,
                )
            )
            if settings.payment_sweep_seconds > 0
            else None
        )
        try:
            yield
        finally:
            stop.set()
            for task in (dispatching, sweeping, listening):
                if task is not None:
                    await task
            if router is not None:
                await router.dispose()
            await engine.dispose()
            metrics.process_exit()

    routes = [
        Route("/graphql", GraphQLHTTPEdge(graphql), methods=["GET", "POST"]),
        Route("/health", health),
        *graphiql_routes(settings),
        *payment_routes(),
        *stripe_routes(),
        *(sandbox_routes() if settings.sandbox_enabled else []),
    ]
    if (route := metrics_route(settings)) is not None:
        routes.append(route)
    app = Starlette(routes=routes, lifespan=lifespan, middleware=[Middleware(RequestObservability, measure=observe)])
    install_edge(app, settings)
    if tracer_provider is not None:
        tracing.instrument(app, engine, tracer_provider)
    app.state.engine = engine
    app.state.router = router
    app.state.session_factory = session_factory
    app.state.settings = settings
    return app
