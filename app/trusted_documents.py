"""Persisted documents: a client sends an id instead of the document text.

Two modes, chosen by GATEWAY_TRUSTED_DOCUMENTS:

- **Trusted documents** (a manifest path): only the manifest's documents run. The id comes as `documentId` (the
  GraphQL-over-HTTP persisted documents appendix, graphql-codegen's client preset), `doc_id` (Relay's network
  layer) or `extensions.persistedQuery.sha256Hash` (Apollo Client's persisted query link), in a POST body or
  the GET query string. Ids are opaque keys of the manifest, never recomputed: relay-compiler's MD5 ids work
  as well as sha256 ones. One convenience: a manifest key `sha256:<hex>` (codegen) also answers to `<hex>` and
  the other way round, since Apollo's link sends the bare hex of the same hash. An unknown id answers
  PERSISTED_QUERY_NOT_FOUND, any other document text BAD_REQUEST, both before parsing.
- **Automatic persisted queries** (no manifest): `extensions.persistedQuery.sha256Hash` with the document
  registers it, once its sha256 is checked (here the hash *is* the protocol), and once it has passed
  validation, in a per-tenant LRU of GATEWAY_APQ_CACHE_SIZE documents; the next request with the hash alone
  runs it. An unknown hash answers PERSISTED_QUERY_NOT_FOUND (message `PersistedQueryNotFound`), upon which
  Apollo's link resends with the text. The store is per process.

Manifest formats (load_manifest): graphql-codegen's client preset `persisted-documents.json` and
relay-compiler's `persistConfig` file, both `{"<id>": "<document>"}`, and Apollo's persisted query manifest
(`{"format": "apollo-persisted-query-manifest", "version": 1, "operations": [{"id", "body", ...}]}`).
A manifest that cannot be read raises ManifestError, whose message is one line naming the file and the entry.

The document's id (as sent, or the sha256 of a text refused in trusted mode) goes on the request record: a
request refused before parsing has no operation name, and its metrics name the document instead.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
from collections import OrderedDict
from pathlib import Path
from typing import Any

from cross_web import HTTPException
from graphql import GraphQLError, parse

from app.observability.record import current

APOLLO_FORMAT = "apollo-persisted-query-manifest"
# A document longer than this runs but is not remembered by automatic persisted queries (bounds the memory
# of one tenant's store to GATEWAY_APQ_CACHE_SIZE times this).
APQ_MAX_DOCUMENT_BYTES = 64 * 1024
_SHA256 = re.compile(r"[0-9a-fA-F]{64}")
_PREFIX = "sha256:"


class DocumentRefused(HTTPException):
    def __init__(self, code: str, reason: str) -> None:
        super().__init__(400, reason)
        self.code = code


class ManifestError(ValueError):
    """A manifest the gateway cannot use; str() is one line: `<file>: <entry>: <what is wrong>`."""

    def __init__(self, path: str | Path, entry: str, problem: str) -> None:
        super().__init__(f"{path}: {entry}: {problem}")


def sha256(document: str) -> str:
    return hashlib.sha256(document.encode()).hexdigest()


def _entries(path: str | Path, raw: Any) -> list[tuple[str, Any, Any]]:  # noqa: ANN401 - parsed JSON
    """(entry name for errors, id, document) of either format, not yet checked."""
    if not isinstance(raw, dict):
        raise ManifestError(path, "top level", f"a JSON object was expected, not {type(raw).__name__}")
    if "format" not in raw:  # graphql-codegen, relay-compiler: {id: document}
        return [(json.dumps(doc_id), doc_id, text) for doc_id, text in raw.items()]
    if raw["format"] != APOLLO_FORMAT:
        raise ManifestError(path, "format", f"{raw['format']!r} is not {APOLLO_FORMAT!r}")
    if raw.get("version") != 1:
        raise ManifestError(
            path, "version", f"version {raw.get('version')!r} of {APOLLO_FORMAT} is not supported (1 is)"
        )
    operations = raw.get("operations")
    if not isinstance(operations, list):
        raise ManifestError(path, "operations", "a list of operations was expected")
    entries = []
    for n, op in enumerate(operations):
        if not isinstance(op, dict):
            raise ManifestError(path, f"operations[{n}]", "an object with `id` and `body` was expected")
        entries.append((f"operations[{n}] (id {json.dumps(op.get('id'))})", op.get("id"), op.get("body")))
    return entries


def load_manifest(path: str | Path) -> dict[str, str]:
    """{id: document} of a graphql-codegen, relay-compiler or Apollo manifest; ManifestError when unusable
    (unreadable, not JSON, neither format, an id or document that is not a non-empty string, a document that
    does not parse, one id given two documents)."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ManifestError(path, "file", f"cannot be read ({exc.__class__.__name__}: {exc})") from None
    try:
        raw = json.loads(text)
    except ValueError as exc:
        where = f"line {exc.lineno} column {exc.colno}" if isinstance(exc, json.JSONDecodeError) else "file"
        raise ManifestError(path, where, f"not JSON ({getattr(exc, 'msg', exc)})") from None
    documents: dict[str, str] = {}
    for entry, doc_id, document in _entries(path, raw):
        if not isinstance(doc_id, str) or not doc_id.strip():
            raise ManifestError(path, entry, "the id must be a non-empty string")
        if not isinstance(document, str) or not document.strip():
            raise ManifestError(path, entry, "the document must be a non-empty string of GraphQL")
        try:
            parse(document, no_location=True)
        except GraphQLError as exc:
            raise ManifestError(path, entry, f"the document does not parse: {exc.message}") from None
        if documents.setdefault(doc_id, document) != document:
            raise ManifestError(path, entry, "this id already names another document")
    if not documents:
        raise ManifestError(path, "top level", "no document at all")
    return documents


def _note(doc_id: str) -> None:
    """For the request's metrics (app.observability.metrics.operation_label bounds and checks it)."""
    if (rec := current()) is not None:
        rec.document_id = doc_id


def _persisted_hash(extensions: dict[str, Any] | None) -> str | None:
    persisted = (extensions or {}).get("persistedQuery")
    if not isinstance(persisted, dict):
        return None
    value = persisted.get("sha256Hash")
    if not isinstance(value, str):
        _note(repr(value)[:80])  # counted as `invalid`
        raise DocumentRefused("BAD_REQUEST", "persistedQuery.sha256Hash must be a string")
    return value


def _apq_hash(doc_id: str) -> str | None:
    """The lowercase sha256 hex an id stands for (`<hex>` or `sha256:<hex>`), else None."""
    bare = doc_id[len(_PREFIX) :] if doc_id.startswith(_PREFIX) else doc_id
    return bare.lower() if _SHA256.fullmatch(bare) else None


def _not_found() -> DocumentRefused:
    # The message is what Apollo's persisted query link looks for (as well as the code).
    return DocumentRefused("PERSISTED_QUERY_NOT_FOUND", "PersistedQueryNotFound")


class AutomaticPersistedQueries:
    """Per-tenant LRU stores of {sha256: document}, `size` documents each (0: nothing is remembered)."""

    def __init__(self, size: int) -> None:
        self.size = size
        # Only touched from the event loop, between awaits: no lock needed.
        self._stores: dict[str, OrderedDict[str, str]] = {}

    def get(self, tenant: str, digest: str) -> str | None:
        store = self._stores.get(tenant)
        if store is None or digest not in store:
            return None
        store.move_to_end(digest)
        return store[digest]

    def put(self, tenant: str, digest: str, document: str) -> None:
        if self.size <= 0 or len(document.encode()) > APQ_MAX_DOCUMENT_BYTES:
            return
        store = self._stores.setdefault(tenant, OrderedDict())
        store[digest] = document
        store.move_to_end(digest)
        while len(store) > self.size:
            store.popitem(last=False)


@dataclasses.dataclass(frozen=True)
class Registration:
    """An automatic persisted query to remember once its request is known to be valid."""

    tenant: str
    digest: str
    document: str


class TrustedDocuments:
    def __init__(self, documents: dict[str, str] | None, apq_size: int = 0) -> None:
        self.documents = documents  # None: any document may run (automatic persisted queries)
        self.apq = AutomaticPersistedQueries(apq_size)
        self._by_id: dict[str, str] = {}
        self._texts: set[str] = set()
        if documents is not None:
            self._by_id = dict(documents)
            for doc_id, text in documents.items():  # `sha256:<hex>` <-> `<hex>`, never over a real key
                if (digest := _apq_hash(doc_id)) is not None:
                    self._by_id.setdefault(digest, text)
                    self._by_id.setdefault(_PREFIX + digest, text)
            self._texts = set(documents.values())

    def lookup(self, doc_id: str) -> str | None:
        """The manifest's document for an id as a client sends it."""
        text = self._by_id.get(doc_id)
        if text is None and (digest := _apq_hash(doc_id)) is not None:
            text = self._by_id.get(digest)
        return text

    def resolve(self, data: Any, tenant: str, document_id: str | None = None) -> tuple[Any, Registration | None]:  # noqa: ANN401
        """(the request with its document text, an APQ registration to make once it validated), or
        DocumentRefused. `data`: strawberry's GraphQLRequestData; `document_id`: the request's `documentId` /
        `doc_id`, if any."""
        hashed = _persisted_hash(data.extensions)
        doc_id = document_id if document_id is not None else hashed
        digest = None
        if doc_id is not None:
            digest = _apq_hash(doc_id)
            _note(digest or doc_id[:80])
        if self.documents is not None:
            return self._trusted(data, doc_id), None
        if doc_id is None:
            return data, None
        if digest is None:
            if data.query:
                raise DocumentRefused("BAD_REQUEST", "without a manifest, a document id must be a sha256 (`<hex>`)")
            raise _not_found()
        if data.query:
            if sha256(data.query) != digest:
                raise DocumentRefused("BAD_REQUEST", "provided sha does not match query")
            return data, Registration(tenant, digest, data.query)
        text = self.apq.get(tenant, digest)
        if text is None:
            raise _not_found()
        return dataclasses.replace(data, query=text), None

    def register(self, registration: Registration) -> None:
        self.apq.put(registration.tenant, registration.digest, registration.document)

    def _trusted(self, data: Any, doc_id: str | None) -> Any:  # noqa: ANN401
        if doc_id is not None:
            text = self.lookup(doc_id)
            if text is None:
                raise _not_found()
            if data.query and data.query != text:
                raise DocumentRefused("BAD_REQUEST", "the document does not match its id")
            return dataclasses.replace(data, query=text)
        if data.query:
            _note(sha256(data.query))
            if data.query in self._texts:
                return data
        raise DocumentRefused(
            "BAD_REQUEST",
            "only trusted documents are accepted: send documentId or extensions.persistedQuery.sha256Hash",
        )
