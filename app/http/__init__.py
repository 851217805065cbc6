"""The HTTP edge in front of every route: CORS for browser storefronts and compression of large answers.

Kept out of app/asgi.py so the edge can change without touching the request pipeline."""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.middleware.gzip import GZipMiddleware

from app.http.cors import add_cors
from app.settings import Settings


def install_edge(app: Starlette, settings: Settings) -> None:
    """Compression inside, CORS outermost: a preflight is answered before anything else runs, and every
    answer (errors included) carries the CORS headers a browser needs to read it."""
    # Starlette's GZipMiddleware: only bodies of at least `gzip_min_bytes`, only for clients that send
    # Accept-Encoding: gzip. Level 6: nearly the ratio of 9 at a fraction of the CPU.
    app.add_middleware(GZipMiddleware, minimum_size=settings.gzip_min_bytes, compresslevel=6)
    add_cors(app, settings)
