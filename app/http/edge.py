"""The HTTP edge of /graphql: what a request must look like before strawberry sees it, and what an error
message may say when it leaves.

Every malformed request (a body that is not UTF-8, not JSON, not a JSON object, nested too deeply, with
integers Python refuses to convert, variables that are not an object, text with lone surrogates that no
database or encoder accepts) is refused here with HTTP 400 and `extensions.code` BAD_REQUEST, so nothing
below ever raises on it (strawberry answers some of these with a plain-text 500).
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import unquote_to_bytes

from starlette.requests import Request
from starlette.responses import JSONResponse

from app.services.common.errors import TopLevelCode

# Deeper JSON than this is no GraphQL request (the deepest real input is about 6); Python's json module
# would hit its recursion limit around 1,000.
MAX_JSON_NESTING = 32
# Brackets of a GraphQL document: the depth limit allows 12 field levels, lists in arguments add a few.
# graphql-core's recursive-descent parser would hit the recursion limit past a few hundred.
MAX_DOCUMENT_NESTING = 64


class EdgeRefusal(Exception):
    def __init__(self, message: str, field: list[str] | None = None, status: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.status = status

    def response(self) -> JSONResponse:
        extensions: dict[str, Any] = {"code": TopLevelCode.BAD_REQUEST.value}
        if self.field:
            extensions["field"] = self.field
        return JSONResponse(
            {"data": None, "errors": [{"message": self.message, "extensions": extensions}]}, status_code=self.status
        )


def bad_request(message: str, status: int = 400) -> JSONResponse:
    return EdgeRefusal(message, status=status).response()


def timed_out(seconds: float) -> JSONResponse:
    """The answer when a request ran past GATEWAY_MAX_REQUEST_SECONDS (its work was cancelled, its
    transaction rolled back)."""
    return JSONResponse(
        {
            "data": None,
            "errors": [
                {
                    "message": f"the request ran longer than {seconds:g} s and was cancelled",
                    "extensions": {"code": TopLevelCode.TIMEOUT.value},
                }
            ],
        },
        status_code=503,
        headers={"Retry-After": "1"},
    )


def unavailable(message: str) -> JSONResponse:
    """The answer when the database connection dropped and the work could not be retried (nothing of the
    request was committed): HTTP 503 SERVICE_UNAVAILABLE, the client may retry."""
    return JSONResponse(
        {
            "data": None,
            "errors": [{"message": message, "extensions": {"code": TopLevelCode.SERVICE_UNAVAILABLE.value}}],
        },
        status_code=503,
        headers={"Retry-After": "1"},
    )


# Where a persisted document's id may come instead of `query` (app/trusted_documents.py): the GraphQL-over-HTTP
# persisted documents appendix (graphql-codegen's client preset), then Relay's network layer convention.
DOCUMENT_ID_PARAMS = ("documentId", "doc_id")


def check_request(request: Request, body: bytes) -> str | None:
    """Raises EdgeRefusal for a request that strawberry must not see; else the persisted document id it
    carries in `documentId` / `doc_id` (strawberry reads neither), if any."""
    if request.method == "GET":
        params = _query_params(request)
        payload: dict[str, Any] = {"query": params.get("query"), "operationName": params.get("operationName")}
        for name in ("variables", "extensions"):
            if params.get(name):
                payload[name] = _json(params[name].encode(), name)
        payload.update({name: params[name] for name in DOCUMENT_ID_PARAMS if name in params})
    else:
        if "json" not in request.headers.get("content-type", ""):
            return None  # strawberry answers 400 "Unsupported content type"
        payload = _json(body, "request body")
        if not isinstance(payload, dict):
            raise EdgeRefusal("the request body must be a JSON object with a `query` (batches are not accepted)")
    _check_payload(payload)
    return next((payload[name] for name in DOCUMENT_ID_PARAMS if payload.get(name) is not None), None)


def _query_params(request: Request) -> dict[str, str]:
    raw = request.scope.get("query_string", b"")
    try:
        unquote_to_bytes(raw.replace(b"+", b" ")).decode("utf-8")
    except UnicodeDecodeError:
        raise EdgeRefusal("the query string is not valid UTF-8") from None
    return dict(request.query_params)


def _json(data: bytes, name: str) -> Any:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise EdgeRefusal(f"{name} is not valid UTF-8") from None
    if _nesting(text, "[{", "]}") > MAX_JSON_NESTING:
        raise EdgeRefusal(f"{name} is nested more than {MAX_JSON_NESTING} levels deep")
    try:
        return json.loads(text, parse_constant=_no_constant)
    except (ValueError, RecursionError):  # includes integers longer than Python converts
        raise EdgeRefusal(f"{name} is not valid JSON") from None


def _no_constant(name: str) -> None:
    raise ValueError(name)  # NaN, Infinity: not JSON


def _check_payload(payload: dict[str, Any]) -> None:
    query = payload.get("query")
    if not isinstance(query, str | None):
        raise EdgeRefusal("`query` must be a string", ["query"])
    for name in ("variables", "extensions"):
        if not isinstance(payload.get(name), dict | None):
            raise EdgeRefusal(f"`{name}` must be an object or null", [name])
    if not isinstance(payload.get("operationName"), str | None):
        raise EdgeRefusal("`operationName` must be a string or null", ["operationName"])
    for name in DOCUMENT_ID_PARAMS:
        if not isinstance(payload.get(name), str | None):
            raise EdgeRefusal(f"`{name}` must be a string or null", [name])
    if query is not None and _document_nesting(query) > MAX_DOCUMENT_NESTING:
        raise EdgeRefusal(f"the document is nested more than {MAX_DOCUMENT_NESTING} levels deep", ["query"])
    _check_text(payload)


def _check_text(payload: dict[str, Any]) -> None:
    """Every string (and key) must be encodable: a lone surrogate ("\\ud800" in JSON) is valid JSON but no
    text a database, a log or a JSON encoder can take."""
    stack: list[tuple[list[str], Any]] = [([name], payload.get(name)) for name in payload]
    while stack:
        path, value = stack.pop()
        if isinstance(value, str):
            _encodable(value, path)
        elif isinstance(value, dict):
            for key, item in value.items():
                _encodable(key, path)
                stack.append(([*path, key], item))
        elif isinstance(value, list):
            stack.extend(([*path, str(i)], item) for i, item in enumerate(value))


def _encodable(text: str, path: list[str]) -> None:
    if text.isascii():
        return
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise EdgeRefusal(f"{'.'.join(path)}: text must not contain lone surrogates", path) from None


def _nesting(text: str, opening: str, closing: str) -> int:
    """Deepest bracket nesting of JSON text, ignoring brackets inside strings (linear scan)."""
    depth = deepest = 0
    for match in re.finditer(r'"(?:[^"\\]|\\.)*"|[\[\]{}]', text):
        token = match.group()
        if token in opening:
            depth += 1
            deepest = max(deepest, depth)
        elif token in closing:
            depth -= 1
    return deepest


_GRAPHQL_TOKENS = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""|"(?:[^"\\\n]|\\.)*"|#[^\n]*|[\[\]{}()]|(?<![_A-Za-z0-9])-?[0-9]{40,}'
)
# graphql-core converts Int literals with int(), which refuses more than 4,300 digits with a Python message;
# no Int of the API (32 bits) needs more than 10.
MAX_NUMBER_DIGITS = 40


def _document_nesting(query: str) -> int:
    """Deepest nesting of {, [ and ( in a GraphQL document, ignoring strings and comments."""
    depth = deepest = 0
    for match in _GRAPHQL_TOKENS.finditer(query):
        token = match.group()
        if token in "[{(":
            depth += 1
            deepest = max(deepest, depth)
        elif token in "]})":
            depth -= 1
        elif token[-1].isdigit():
            raise EdgeRefusal(f"a number literal has more than {MAX_NUMBER_DIGITS} digits", ["query"])
    return deepest


# --- what leaves -------------------------------------------------------------------------------------

_SUGGESTION = re.compile(r"\s*Did you mean [^?]*\?")
# Messages from Python or a driver, not from our code or graphql-core's rules.
_INTERNAL_TEXT = re.compile(r"sys\.set_int_max_str_digits|Traceback|asyncpg|sqlalchemy|sqlite3|Exceeds the limit")


def clean_errors(errors: list[dict[str, Any]], production: bool) -> None:
    """In place: no "Did you mean" in production (for arguments, enum values, types, input fields and
    variable types too; strawberry's switch covers only fields); never Python or driver text."""
    for error in errors:
        message = str(error.get("message", ""))
        if production:
            message = _SUGGESTION.sub("", message)
        if _INTERNAL_TEXT.search(message):
            bad_request = error.get("extensions", {}).get("code") == TopLevelCode.BAD_REQUEST
            message = "invalid value" if bad_request else "Internal error."
        error["message"] = message
