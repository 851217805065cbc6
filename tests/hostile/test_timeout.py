"""GATEWAY_MAX_REQUEST_SECONDS: a request stuck past it (here: waiting for a lock another connection holds)
is cancelled, answers 503 TIMEOUT, its transaction rolls back, and the process goes on serving."""

from __future__ import annotations

import time

import httpx
from sqlalchemy import text

from app.asgi import create_app
from app.settings import Settings
from tests.support.documents import CREATE, DRAFT, UPDATE
from tests.support.gateway import Gateway


async def test_request_past_the_wall_clock_bound_is_cancelled(gw: Gateway) -> None:
    buyer = await gw.as_user("buyer@acme.example")
    draft = (await gw.data(CREATE, {"input": {}}, buyer))["createDraftOrder"]["draftOrder"]
    # On SQLite the cancelled statement's rollback waits for the driver thread, which waits for the lock
    # up to the busy timeout: the answer comes after min(busy timeout, ...), hence a short one here. The bound
    # leaves an ordinary read on a loaded machine well within it.
    settings = Settings(
        database_url=gw.settings.database_url, env="test", max_request_seconds=2.0, sqlite_busy_timeout_ms=4000
    )
    app = create_app(settings)
    blocker = await gw.engine.connect()
    try:
        # Another connection holds the write lock (SQLite) / the draft's row lock (PostgreSQL).
        if gw.settings.is_sqlite:
            await blocker.execution_options(gateway_write=True)  # BEGIN IMMEDIATE (app/db.py)
            await blocker.execute(text("SELECT 1"))
        else:
            await blocker.execute(text("SELECT id FROM orders WHERE id = :id FOR UPDATE"), {"id": draft["id"]})
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t", timeout=60) as c:
            start = time.perf_counter()
            resp = await c.post(
                "/graphql",
                json={"query": UPDATE, "variables": {"id": draft["id"], "input": {"notes": "late"}}},
                headers=buyer,
            )
            elapsed = time.perf_counter() - start
        assert resp.status_code == 503, resp.text
        assert resp.json()["errors"][0]["extensions"]["code"] == "TIMEOUT"
        print(f"timed out after {elapsed:.2f} s (bound 2 s)")
    finally:
        await blocker.rollback()
        await blocker.close()
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t", timeout=60) as c:
        again = await c.post("/graphql", json={"query": DRAFT, "variables": {"id": draft["id"]}}, headers=buyer)
    await app.state.engine.dispose()
    assert again.status_code == 200 and again.json()["data"]["draftOrder"]["id"] == draft["id"], again.text
    notes = await gw.data(DRAFT.replace("id reference", "id notes reference"), {"id": draft["id"]}, buyer)
    assert notes["draftOrder"]["notes"] is None  # the cancelled update rolled back
