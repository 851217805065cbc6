"""Trusted documents: ids from a manifest run, anything else is refused before parsing."""

from __future__ import annotations

import hashlib
import json
import uuid
from pathlib import Path

import httpx
import pytest

from app.asgi import create_app
from app.settings import Settings
from tests.support.gateway import API_KEY
from tests.support.metrics import samples

SHELF = "query Shelf { products(first: 2) { totalCount edges { node { name } } } }"
WHO = "query Who { viewer { store { externalId } } }"
HEADERS = {"dj-api-key": API_KEY, "dj-client": "ACCOUNT"}


def _id(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _persisted(doc_id: str) -> dict:
    return {"persistedQuery": {"version": 1, "sha256Hash": doc_id}}


@pytest.fixture(params=["codegen", "apollo"])
def manifest(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    path = tmp_path / "persisted-documents.json"
    if request.param == "codegen":  # graphql-codegen client preset, persistedDocuments: true
        path.write_text(json.dumps({_id(SHELF): SHELF}))
    else:  # @apollo/generate-persisted-query-manifest
        path.write_text(
            json.dumps(
                {
                    "format": "apollo-persisted-query-manifest",
                    "version": 1,
                    "operations": [{"id": _id(SHELF), "name": "Shelf", "type": "query", "body": SHELF}],
                }
            )
        )
    return path


async def test_trusted_mode_runs_the_manifest_and_refuses_the_rest(database_url: str, manifest: Path) -> None:
    app = create_app(Settings(database_url=database_url, env="production", trusted_documents=str(manifest)))
    try:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://gw") as client:
            ok = await client.post("/graphql", json={"extensions": _persisted(_id(SHELF))}, headers=HEADERS)
            assert ok.status_code == 200 and ok.json()["data"]["products"]["totalCount"] > 0
            same_text = await client.post("/graphql", json={"query": SHELF}, headers=HEADERS)
            assert same_text.status_code == 200 and "errors" not in same_text.json()

            unknown = await client.post("/graphql", json={"extensions": _persisted(_id(WHO))}, headers=HEADERS)
            assert unknown.status_code == 400
            assert unknown.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"
            other = await client.post("/graphql", json={"query": WHO}, headers=HEADERS)
            assert other.status_code == 400 and other.json()["errors"][0]["extensions"]["code"] == "BAD_REQUEST"
            # Not even parsed: a broken document is refused the same way, not as a syntax error.
            broken = await client.post("/graphql", json={"query": "{ products("}, headers=HEADERS)
            assert broken.json()["errors"][0]["message"].startswith("only trusted documents")
            swapped = await client.post(
                "/graphql", json={"query": WHO, "extensions": _persisted(_id(SHELF))}, headers=HEADERS
            )
            assert swapped.status_code == 400 and swapped.json()["errors"][0]["extensions"]["code"] == "BAD_REQUEST"
    finally:
        await app.state.engine.dispose()


async def test_without_manifest_an_id_alone_is_not_found_and_text_runs(gw) -> None:  # noqa: ANN001
    resp = await gw.client.post("/graphql", json={"extensions": _persisted(_id(SHELF))}, headers=gw.headers())
    assert resp.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"
    resp = await gw.client.post(
        "/graphql", json={"query": SHELF, "extensions": _persisted(_id(SHELF))}, headers=gw.headers()
    )
    assert resp.status_code == 200 and "errors" not in resp.json()


def test_a_manifest_with_a_wrong_id_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "m.json"
    path.write_text(json.dumps({_id(WHO): SHELF}))
    with pytest.raises(ValueError, match="not the sha256"):
        create_app(Settings(database_url=f"sqlite+aiosqlite:///{tmp_path}/x.db", trusted_documents=str(path)))


async def test_refused_documents_are_counted_with_their_id(database_url: str, manifest: Path) -> None:
    settings = Settings(
        database_url=database_url, env="production", trusted_documents=str(manifest), metrics_token="scrape"
    )
    app = create_app(settings)
    unknown = _id(f"query Unknown{uuid.uuid4().hex} {{ viewer {{ store {{ id }} }} }}")
    text = f"query Typed{uuid.uuid4().hex} {{ viewer {{ store {{ id }} }} }}"
    scrape = {"Authorization": "Bearer scrape"}
    try:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://gw") as client:
            before = (await client.get("/metrics", headers=scrape)).text
            for _ in range(2):
                resp = await client.post("/graphql", json={"extensions": _persisted(unknown)}, headers=HEADERS)
                assert resp.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"
            resp = await client.post("/graphql", json={"query": text}, headers=HEADERS)
            assert resp.json()["errors"][0]["extensions"]["code"] == "BAD_REQUEST"
            for malformed in ("not-a-sha256", 12):
                resp = await client.post("/graphql", json={"extensions": _persisted(malformed)}, headers=HEADERS)
                assert resp.status_code == 400
            ok = await client.post("/graphql", json={"extensions": _persisted(_id(SHELF))}, headers=HEADERS)
            assert ok.status_code == 200
            after = (await client.get("/metrics", headers=scrape)).text
    finally:
        await app.state.engine.dispose()

    def delta(name: str, **labels: str) -> float:
        return samples(after, name, **labels) - samples(before, name, **labels)

    # The id the client sent (a refused text: its sha256), not `anonymous`; a malformed id is `invalid`.
    assert delta("gateway_requests_total", operation=f"sha256:{unknown}", status="400") == 2
    assert delta("gateway_graphql_errors_total", operation=f"sha256:{unknown}", code="PERSISTED_QUERY_NOT_FOUND") == 2
    assert delta("gateway_requests_total", operation=f"sha256:{_id(text)}", status="400") == 1
    assert delta("gateway_request_duration_seconds_count", operation=f"sha256:{_id(text)}") == 1
    assert delta("gateway_requests_total", operation="invalid", status="400") == 2
    assert delta("gateway_requests_total", operation="anonymous") == 0
    assert delta("gateway_requests_total", operation="Shelf", status="200") == 1  # a trusted one: its name


def test_document_ids_in_metrics_are_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    from app.observability import metrics

    monkeypatch.setattr(metrics, "_seen_documents", set())
    monkeypatch.setattr(metrics, "_MAX_DOCUMENTS", 2)
    first, second, third = (_id(str(n)) for n in range(3))
    assert [metrics.operation_label(None, d) for d in (first, second, third, first)] == [
        f"sha256:{first}",
        f"sha256:{second}",
        "other",
        f"sha256:{first}",
    ]
    assert metrics.operation_label(None, "0" * 63) == "invalid" and metrics.operation_label(None) == "anonymous"
    assert metrics.operation_label("Named", first) == "Named"
