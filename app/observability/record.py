"""The record of one HTTP request: filled while the request runs, logged and counted once at its end.

It lives in a context variable set by the middleware; resolvers run in tasks that copy the context, and
they mutate the same object, so what they note is seen at the end of the request.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping
from contextvars import ContextVar
from dataclasses import dataclass, field

# An incoming X-Request-Id is echoed into headers and logs: only a plain token is accepted.
_SAFE_ID = re.compile(r"[A-Za-z0-9._:\-]{1,128}")
# W3C traceparent: version-traceid-parentid-flags; the trace id is the request id when no X-Request-Id.
_TRACEPARENT = re.compile(r"[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}")


@dataclass
class RequestRecord:
    request_id: str
    method: str = ""
    path: str = ""
    tenant_id: str | None = None
    client: str | None = None
    operation_name: str | None = None
    document_id: str | None = None  # a trusted document's id (sha256), as sent or of the text refused
    operation_type: str | None = None
    error_codes: list[str] = field(default_factory=list)
    sql_statements: int = 0
    status: int | None = None

    def note_errors(self, codes: list[str]) -> None:
        for code in codes:
            if code not in self.error_codes:
                self.error_codes.append(code)


_current: ContextVar[RequestRecord | None] = ContextVar("gateway_request", default=None)


def current() -> RequestRecord | None:
    return _current.get()


def current_request_id() -> str | None:
    record = _current.get()
    return record.request_id if record else None


def start(record: RequestRecord):  # noqa: ANN201 - a contextvars Token
    return _current.set(record)


def finish(token) -> None:  # noqa: ANN001
    _current.reset(token)


def request_id_from(headers: Mapping[str, str]) -> str:
    """X-Request-Id when it is a plain token, else the trace id of a valid traceparent, else a new id."""
    given = headers.get("x-request-id", "").strip()
    if _SAFE_ID.fullmatch(given):
        return given
    match = _TRACEPARENT.fullmatch(headers.get("traceparent", "").strip().lower())
    if match and match.group(1) != "0" * 32:
        return match.group(1)
    return uuid.uuid4().hex
