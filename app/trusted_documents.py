"""Trusted documents (persisted queries): clients send `extensions.persistedQuery.sha256Hash` instead of
the document text, as Apollo Client and graphql-codegen's client preset do.

With a manifest (GATEWAY_TRUSTED_DOCUMENTS=path) only its documents run: an unknown id answers
PERSISTED_QUERY_NOT_FOUND and any other document text BAD_REQUEST, both before parsing. Without one, a
request carrying only an id answers PERSISTED_QUERY_NOT_FOUND (the Apollo client then sends the text).

Manifest formats: graphql-codegen's `persisted-documents.json` ({"<sha256>": "<document>"}) and Apollo's
persisted query manifest ({"format": "apollo-persisted-query-manifest", "operations": [{"id", "body"}]}).

The document's id (as sent, or the sha256 of a text refused in trusted mode) goes on the request record: a
request refused before parsing has no operation name, and its metrics name the document instead.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from pathlib import Path
from typing import Any

from cross_web import HTTPException

from app.observability.record import current


class DocumentRefused(HTTPException):
    def __init__(self, code: str, reason: str) -> None:
        super().__init__(400, reason)
        self.code = code


def sha256(document: str) -> str:
    return hashlib.sha256(document.encode()).hexdigest()


def load_manifest(path: str | Path) -> dict[str, str]:
    """{id: document}; every id must be the sha256 of its document (a stale manifest is refused)."""
    raw = json.loads(Path(path).read_text())
    if isinstance(raw, dict) and raw.get("format") == "apollo-persisted-query-manifest":
        documents = {op["id"]: op["body"] for op in raw.get("operations", [])}
    elif isinstance(raw, dict) and all(isinstance(v, str) for v in raw.values()):
        documents = dict(raw)
    else:
        raise ValueError(f"{path}: neither a graphql-codegen nor an Apollo persisted documents manifest")
    wrong = [doc_id for doc_id, text in documents.items() if sha256(text) != doc_id.lower()]
    if wrong:
        raise ValueError(f"{path}: ids that are not the sha256 of their document: {wrong[:3]}")
    return {doc_id.lower(): text for doc_id, text in documents.items()}


def _note(doc_id: str) -> None:
    """For the request's metrics (app.observability.metrics.operation_label bounds and checks it)."""
    if (rec := current()) is not None:
        rec.document_id = doc_id


def _document_id(extensions: dict[str, Any] | None) -> str | None:
    persisted = (extensions or {}).get("persistedQuery")
    if not isinstance(persisted, dict):
        return None
    value = persisted.get("sha256Hash")
    if not isinstance(value, str):
        _note(repr(value)[:80])  # counted as `invalid`
        raise DocumentRefused("BAD_REQUEST", "persistedQuery.sha256Hash must be a string")
    _note(value.lower()[:80])
    return value.lower()


class TrustedDocuments:
    def __init__(self, documents: dict[str, str] | None) -> None:
        self.documents = documents  # None: any document may run

    def resolve(self, data: Any) -> Any:  # noqa: ANN401 - strawberry's GraphQLRequestData
        """The request with its document text, or DocumentRefused."""
        doc_id = _document_id(data.extensions)
        if self.documents is None:
            if doc_id is not None and not data.query:
                raise DocumentRefused("PERSISTED_QUERY_NOT_FOUND", "PersistedQueryNotFound")
            return data
        if doc_id is not None:
            text = self.documents.get(doc_id)
            if text is None:
                raise DocumentRefused("PERSISTED_QUERY_NOT_FOUND", "PersistedQueryNotFound")
            if data.query and data.query != text:
                raise DocumentRefused("BAD_REQUEST", "the document does not match its sha256Hash")
            return dataclasses.replace(data, query=text)
        if data.query:
            text_id = sha256(data.query)
            _note(text_id)
            if text_id in self.documents:
                return data
        raise DocumentRefused("BAD_REQUEST", "only trusted documents are accepted: send persistedQuery.sha256Hash")
