"""The /metrics route: off, open, or behind a bearer token, by configuration."""

from __future__ import annotations

import hmac

from prometheus_client import CONTENT_TYPE_LATEST
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from app.observability.metrics import exposition
from app.settings import Settings


def metrics_route(settings: Settings) -> Route | None:
    if not settings.metrics_enabled:
        return None
    expected = f"Bearer {settings.metrics_token}".encode() if settings.metrics_token else None

    async def metrics(request: Request) -> Response:
        if expected is not None:
            given = request.headers.get("authorization", "").encode()
            if not hmac.compare_digest(given, expected):
                return PlainTextResponse("unauthorized", status_code=401, headers={"www-authenticate": "Bearer"})
        return Response(exposition(), media_type=CONTENT_TYPE_LATEST)

    return Route("/metrics", metrics, methods=["GET"])
