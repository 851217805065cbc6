"""CORS: which browser origins may call the API (GATEWAY_CORS_ORIGINS).

- set: exactly those origins (comma-separated; `*` for any origin);
- unset in production: none (no CORS header ever: only same-origin pages and non-browser clients);
- unset elsewhere (development, test): any local origin, http(s)://localhost, 127.0.0.1 or [::1] on any port.

Allowed request headers: those the gateway reads (its own, X-Request-Id and the W3C trace context), always,
plus GATEWAY_CORS_ALLOW_HEADERS (default DEFAULT_EXTRA_HEADERS: Idempotency-Key and Apollo's client
headers; `*`: any). `X-Request-Id`, `WWW-Authenticate`, `Retry-After` and `Gateway-Wal-Position` are exposed
to scripts.

The API authenticates with headers (API key, bearer token), never cookies, so credentials stay off.
"""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.middleware.cors import CORSMiddleware

from app.settings import Settings

# Every request header the gateway reads: a storefront's own (SPEC section 3), the content headers, and the
# request id and W3C trace context it logs and continues (app/observability; tracestate and baggage with
# tracing on), as browser instrumentation (OpenTelemetry web, Sentry) sends them. Always allowed.
GATEWAY_HEADERS = [
    "dj-api-key",
    "dj-client",
    "dj-store",
    "dj-store-view",
    "customer-account-id",
    "authorization",
    "content-type",
    "accept",
    "x-request-id",
    "traceparent",
    "tracestate",
    "baggage",
    "gateway-wal-position",
]
# Headers browser clients add that the gateway does not read, allowed unless GATEWAY_CORS_ALLOW_HEADERS says
# otherwise (a refused one fails the whole request in the browser): idempotency keys of HTTP client
# libraries, and Apollo Client's client awareness headers.
DEFAULT_EXTRA_HEADERS = ["idempotency-key", "apollographql-client-name", "apollographql-client-version"]
# Answer headers a script may read: the request id (to quote in a support request), the 401's challenge, the
# wait of a 503 or of a throttled sign-in, and the WAL position of a commit (read replicas, docs/deployment.md).
EXPOSED_HEADERS = ["x-request-id", "www-authenticate", "retry-after", "gateway-wal-position"]
LOCAL_ORIGINS = r"https?://(localhost|127\.0\.0\.1|\[::1\])(:\d+)?"
PREFLIGHT_MAX_AGE = 600  # seconds a browser may reuse a preflight answer


def configured_origins(settings: Settings) -> tuple[list[str], str | None]:
    """(explicit origins, origin regex) in force for these settings."""
    if settings.cors_origins is not None:
        return [o.strip().rstrip("/") for o in settings.cors_origins.split(",") if o.strip()], None
    if settings.env == "production":
        return [], None
    return [], LOCAL_ORIGINS


def allowed_headers(settings: Settings) -> list[str]:
    """The request headers a preflight may ask for (lowercase, no duplicates; `*` alone: any)."""
    if settings.cors_allow_headers is None:
        extra = DEFAULT_EXTRA_HEADERS
    else:
        extra = [h.strip().lower() for h in settings.cors_allow_headers.split(",") if h.strip()]
    if "*" in extra:
        return ["*"]
    return list(dict.fromkeys([*GATEWAY_HEADERS, *extra]))


def add_cors(app: Starlette, settings: Settings) -> None:
    origins, regex = configured_origins(settings)
    if not origins and regex is None:
        return  # no origin allowed: no middleware, so no CORS header at all
    app.add_middleware(
        CORSMiddleware,
        allow_origins=origins,
        allow_origin_regex=regex,
        allow_methods=["GET", "POST"],
        allow_headers=allowed_headers(settings),
        allow_credentials=False,
        expose_headers=EXPOSED_HEADERS,
        max_age=PREFLIGHT_MAX_AGE,
    )
