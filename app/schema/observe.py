"""Strawberry side of the request record: operation name and type, error codes; errors are logged once.

Client errors (parse, validation, limits, bad arguments) are expected: the request line carries their
codes and nothing more is logged. Unexpected exceptions are logged with their traceback (and masked as
INTERNAL by GatewayErrors).
"""

from __future__ import annotations

from collections.abc import Iterator

import strawberry
from graphql import GraphQLError
from strawberry.extensions import SchemaExtension
from strawberry.types import ExecutionContext

from app.observability.logging import get_logger
from app.observability.record import RequestRecord, current

log = get_logger("app.graphql")


def is_deliberate(error: GraphQLError) -> bool:
    return error.original_error is None or isinstance(error.original_error, GraphQLError)


class RequestObserver(SchemaExtension):
    """Notes the operation name and type, and the codes of mutation payload `errors` (top-level error
    codes are noted by the HTTP view, which sees every response, even of a document that did not parse)."""

    def on_operation(self) -> Iterator[None]:
        try:
            yield
        finally:  # a parse failure leaves the hook by an exception
            rec = current()
            if rec is not None:
                self._note(rec)

    def _note(self, rec: RequestRecord) -> None:
        ec = self.execution_context
        rec.operation_name = ec.operation_name
        try:
            rec.operation_type = ec.operation_type.value
        except RuntimeError:  # no valid document
            rec.operation_type = None
        result = ec.result
        if rec.operation_type == "mutation" and result is not None and isinstance(result.data, dict):
            for payload in result.data.values():
                if isinstance(payload, dict) and isinstance(payload.get("errors"), list):
                    rec.note_errors([e["code"] for e in payload["errors"] if isinstance(e, dict) and "code" in e])


class GatewaySchema(strawberry.Schema):
    def process_errors(self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None) -> None:
        for error in errors:
            if not is_deliberate(error):
                log.error("unexpected error", path=error.path, exc_info=error.original_error)
