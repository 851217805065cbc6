"""GraphQL over HTTP (graphql.github.io/graphql-over-http) on the /graphql view.

- Media types: `application/graphql-response+json` when the client ranks it at least as high as
  `application/json`; `application/json` otherwise (no Accept, `*/*`), exactly as before.
- With `application/graphql-response+json`, a request error (parse, validation, limits, variable coercion:
  nothing executed) answers 400 without a `data` entry; with `application/json` it stays 200 and `data: null`.
- Authentication failures answer 401 with `WWW-Authenticate` and `extensions.code` UNAUTHENTICATED: the
  header checks before execution do so for every client; a resolver's "sign in first" (a missing token on a
  field that needs a user) does so for `application/graphql-response+json` clients, while `application/json`
  keeps its historical 200 (see LEGACY_JSON_UNAUTHENTICATED_STATUS).
- A mutation over GET answers 405 with `Allow: POST`; a POST body that is not `application/json` answers 415;
  a non-string `operationName` answers 400.
"""

from __future__ import annotations

from typing import Any

import orjson
from cross_web import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.types import Message, Receive, Scope, Send
from strawberry.http import GraphQLRequestData
from strawberry.http.parse_content_type import parse_content_type
from strawberry.schema.exceptions import InvalidOperationTypeError
from strawberry.types.unset import UNSET

GRAPHQL_RESPONSE = "application/graphql-response+json"
JSON = "application/json"
WWW_AUTHENTICATE = 'Bearer realm="commerce-gateway"'
# The status of a resolver's UNAUTHENTICATED for application/json clients. 200 is what they always got (and
# what tests/test_orders.py::test_anonymous_callers_see_no_order pins); 401 would make them uniform too.
LEGACY_JSON_UNAUTHENTICATED_STATUS = 200


def negotiate(accept: str | None) -> str:
    """The response media type for an Accept header (a q-value comparison of the two types we speak; no
    other type matters, so a full content-negotiation library would add nothing)."""
    quality = {GRAPHQL_RESPONSE: 0.0, JSON: 0.0}
    for part in (accept or "").split(","):
        media, *params = (p.strip() for p in part.split(";"))
        media = media.lower()
        if media not in quality:
            continue
        q = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        quality[media] = max(quality[media], q)
    if quality[GRAPHQL_RESPONSE] > 0 and quality[GRAPHQL_RESPONSE] >= quality[JSON]:
        return GRAPHQL_RESPONSE
    return JSON


def _error_body(message: str, code: str = "BAD_REQUEST") -> dict[str, Any]:
    return {"errors": [{"message": message, "extensions": {"code": code}}]}


class _Refusal(Exception):
    """A request refused at the protocol level, before execution, with its own status and headers."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}

    def response(self) -> Response:
        return JSONResponse(_error_body(self.message), status_code=self.status, headers=self.headers)


def _code(error: Any) -> str | None:  # noqa: ANN401 - a GraphQLError
    return (getattr(error, "extensions", None) or {}).get("code")


class GraphQLOverHTTP:
    """Mixin for strawberry's ASGI GraphQL view (put it before `GraphQL` in the bases)."""

    def encode_json(self, data: object) -> str | bytes:
        """Responses are encoded with orjson (compact, UTF-8, several times faster than the standard
        library on a page of orders); anything it refuses (an integer beyond 64 bits) with the standard
        encoder, as before."""
        try:
            return orjson.dumps(data)
        except TypeError:  # orjson.JSONEncodeError is a TypeError
            return super().encode_json(data)  # type: ignore[misc]

    async def run(self, request: Request, context: Any = UNSET, root_value: Any = UNSET) -> Response:  # noqa: ANN401
        try:
            response = await super().run(request, context, root_value)  # type: ignore[misc]
        except _Refusal as refusal:
            return refusal.response()
        status = request.scope.get("graphql_status")
        if status:
            response.status_code = status
        return response

    async def parse_http_body(self, request: Any) -> GraphQLRequestData | list[GraphQLRequestData]:  # noqa: ANN401
        if request.method == "POST":
            content_type, _ = parse_content_type(request.content_type or "")
            if content_type != JSON:
                raise _Refusal(415, "send the request body as application/json", {"Accept-Post": JSON})
        data = await super().parse_http_body(request)  # type: ignore[misc]
        for item in data if isinstance(data, list) else [data]:
            if not isinstance(item.operation_name, str | None):
                raise HTTPException(400, "The GraphQL operation's `operationName` must be a string or null.")
        return data

    async def execute_single(self, request: Request, request_adapter: Any, **kw: Any) -> Any:  # noqa: ANN401
        try:
            return await super().execute_single(request=request, request_adapter=request_adapter, **kw)  # type: ignore[misc]
        except HTTPException as exc:
            if request.method == "GET" and isinstance(exc.__cause__, InvalidOperationTypeError):
                raise _Refusal(405, "mutations are accepted over POST only", {"Allow": "POST"}) from exc
            raise

    async def process_result(self, request: Request, result: Any) -> dict[str, Any]:  # noqa: ANN401
        data = await super().process_result(request, result)  # type: ignore[misc]
        errors = list(result.errors or ())
        if not errors:
            return data
        media = negotiate(request.headers.get("accept"))
        if any(_code(e) == "UNAUTHENTICATED" for e in errors):
            status = 401 if media == GRAPHQL_RESPONSE else LEGACY_JSON_UNAUTHENTICATED_STATUS
            if status == 401:
                # The same answer as a refused header: no partial data (a non-2xx answer must not carry
                # any), the authentication error first.
                formatted = data.get("errors") or []
                first = [e for e in formatted if (e.get("extensions") or {}).get("code") == "UNAUTHENTICATED"]
                data = {"data": None, "errors": first + [e for e in formatted if e not in first]}
                request.scope["graphql_status"] = 401
        elif result.data is None and all(e.path is None for e in errors) and media == GRAPHQL_RESPONSE:
            # Nothing executed: a request error. The spec's 400, and no `data` entry.
            data.pop("data", None)
            request.scope["graphql_status"] = 400
        return data


class GraphQLHTTPEdge:
    """ASGI wrapper of the /graphql endpoint: the negotiated media type on every JSON answer (those built
    before execution too: refused headers, malformed bodies), and WWW-Authenticate on every 401."""

    def __init__(self, app: Any) -> None:  # noqa: ANN401
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        accept = next((v.decode("latin-1") for k, v in scope["headers"] if k == b"accept"), None)
        media = negotiate(accept)

        async def edge_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [
                    (k, v)
                    for k, v in message.get("headers", [])
                    if not (k.lower() == b"content-type" and v.startswith(JSON.encode()))
                ]
                if len(headers) != len(message.get("headers", [])):
                    headers.append((b"content-type", f"{media}; charset=utf-8".encode()))
                if message["status"] == 401 and not any(k.lower() == b"www-authenticate" for k, _ in headers):
                    headers.append((b"www-authenticate", WWW_AUTHENTICATE.encode()))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, edge_send)
