"""CORS: which browser origins may call the API (GATEWAY_CORS_ORIGINS).

- set: exactly those origins (comma-separated; `*` for any origin);
- unset in production: none (no CORS header ever: only same-origin pages and non-browser clients);
- unset elsewhere (development, test): any local origin, http(s)://localhost, 127.0.0.1 or [::1] on any port.

The API authenticates with headers (API key, bearer token), never cookies, so credentials stay off.
"""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.middleware.cors import CORSMiddleware

from app.settings import Settings

# Every request header a storefront sends (SPEC section 3) plus the content headers.
ALLOWED_HEADERS = [
    "dj-api-key",
    "dj-client",
    "dj-store",
    "dj-store-view",
    "customer-account-id",
    "authorization",
    "content-type",
    "accept",
]
LOCAL_ORIGINS = r"https?://(localhost|127\.0\.0\.1|\[::1\])(:\d+)?"
PREFLIGHT_MAX_AGE = 600  # seconds a browser may reuse a preflight answer


def configured_origins(settings: Settings) -> tuple[list[str], str | None]:
    """(explicit origins, origin regex) in force for these settings."""
    if settings.cors_origins is not None:
        return [o.strip().rstrip("/") for o in settings.cors_origins.split(",") if o.strip()], None
    if settings.env == "production":
        return [], None
    return [], LOCAL_ORIGINS


def add_cors(app: Starlette, settings: Settings) -> None:
    origins, regex = configured_origins(settings)
    if not origins and regex is None:
        return  # no origin allowed: no middleware, so no CORS header at all
    app.add_middleware(
        CORSMiddleware,
        allow_origins=origins,
        allow_origin_regex=regex,
        allow_methods=["GET", "POST"],
        allow_headers=ALLOWED_HEADERS,
        allow_credentials=False,
        expose_headers=["www-authenticate"],
        max_age=PREFLIGHT_MAX_AGE,
    )
