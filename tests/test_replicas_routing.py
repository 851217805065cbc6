"""Which requests may read from a replica (app/db_replicas.py), decided before anything runs, and the WAL positions
carried for read-your-writes; no server needed. The routing itself, against a real standby: tests/test_replicas.py."""

from __future__ import annotations

import json

import pytest
from starlette.requests import Request

from app.db_replicas import WAL_POSITION_HEADER, format_lsn, is_query_request, parse_lsn
from app.settings import Settings
from tests.support.gateway import Gateway


def _request(method: str = "POST", query_string: str = "") -> Request:
    return Request({"type": "http", "method": method, "query_string": query_string.encode(), "headers": []})


def _post(payload: object) -> bool:
    return is_query_request(_request(), json.dumps(payload).encode())


def test_queries_are_told_from_mutations() -> None:
    assert _post({"query": "{ products(first: 1) { edges { node { id } } } }"})
    assert _post({"query": "query Catalog { products(first: 1) { edges { node { id } } } }"})
    assert not _post({"query": 'mutation { deleteDraftOrder(id: "x") { deletedId } }'})
    two = (
        "query A { products(first: 1) { edges { node { id } } } } "
        'mutation B { deleteDraftOrder(id: "x") { deletedId } }'
    )
    assert _post({"query": two, "operationName": "A"})
    assert not _post({"query": two, "operationName": "B"})
    assert not _post({"query": two})  # strawberry refuses it: nothing gained from a replica
    assert not _post({"query": two, "operationName": "C"})
    assert not _post({"query": "{ products("})  # does not parse: the primary (strawberry answers the error)
    assert not _post({"query": "subscription { x }"})
    assert not _post(["not", "an", "object"])
    assert not is_query_request(_request(), b"not json")


def test_persisted_documents_are_classified_by_their_text() -> None:
    manifest = {"cat": "{ products(first: 1) { edges { node { id } } } }", "del": "mutation { x }"}
    assert is_query_request(_request(), json.dumps({"documentId": "cat"}).encode(), manifest.get)
    assert not is_query_request(_request(), json.dumps({"documentId": "del"}).encode(), manifest.get)
    assert not is_query_request(_request(), json.dumps({"documentId": "unknown"}).encode(), manifest.get)
    # An automatic persisted query sent by its hash alone: its text is not known before it runs.
    apq = {"extensions": {"persistedQuery": {"version": 1, "sha256Hash": "ab" * 32}}}
    assert not is_query_request(_request(), json.dumps(apq).encode())
    assert is_query_request(_request("GET", "query=%7B+stores+%7B+id+%7D+%7D"), b"")


def test_wal_positions_read_and_written_as_postgresql_does() -> None:
    for text in ("0/0", "0/3A2B1C8", "16/B374D848", "FFFFFFFF/FFFFFFFF"):
        lsn = parse_lsn(text)
        assert lsn is not None and format_lsn(lsn) == text
    assert parse_lsn("16/B374D848") > parse_lsn("16/B374D847") > parse_lsn("15/FFFFFFFF")
    for bad in (None, "", "12", "1/2/3", "x/1", "1/-2", "123456789/0", "1" * 20):
        assert parse_lsn(bad) is None


def test_replica_urls_are_a_postgresql_setting() -> None:
    urls = "postgresql+asyncpg://r1:5432/db, postgresql+asyncpg://r2:5432/db,"
    assert Settings(database_url="postgresql+asyncpg://p/db", database_replica_urls=urls).replica_urls == [
        "postgresql+asyncpg://r1:5432/db",
        "postgresql+asyncpg://r2:5432/db",
    ]
    assert Settings(database_url="sqlite+aiosqlite:///x.db", database_replica_urls=urls).replica_urls == []
    assert Settings(database_url="postgresql+asyncpg://p/db").replica_urls == []


@pytest.mark.parametrize("document", ["{ products(first: 1) { edges { node { id } } } }"])
async def test_without_replicas_nothing_changes(gw: Gateway, acme: dict, document: str) -> None:
    """No replicas configured: no router, no position header, /health as before."""
    assert gw.app.state.router is None
    resp = await gw.post(document, headers=acme)
    assert resp.status_code == 200 and resp.json()["data"]["products"]["edges"], resp.text
    assert WAL_POSITION_HEADER not in resp.headers
    assert (await gw.client.get("/health")).json() == {"status": "ok", "database": "ok"}
