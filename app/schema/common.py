"""Shared GraphQL types: money, errors, metadata, paging, the error-code enum and top-level errors."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from enum import Enum
from functools import lru_cache
from typing import Any

import strawberry
from graphql import GraphQLError

from app.schema.docs import ERROR_CODES
from app.schema.execution import answered_from
from app.services.common.errors import ErrorCode as _ErrorCode
from app.services.common.errors import Problem, TopLevelCode
from app.services.common.money import to_decimal

ErrorCode = strawberry.enum(
    _ErrorCode,
    description="Every business error code of the API, in payload `errors`, `warnings` and draft `issues`. "
    "Top-level errors use `extensions.code` instead (UNAUTHENTICATED, FORBIDDEN, BAD_REQUEST, TIMEOUT, INTERNAL).",
)
# When each code happens: strawberry enum value descriptions, kept here so services stay free of strawberry.
for _value in ErrorCode.__strawberry_definition__.values:
    _value.description = ERROR_CODES[_value.name]


@strawberry.interface(
    description="An object with an identity: its `id` is unique across every type and never names anything else, "
    "so `node(id:)` refetches it and normalized caches key it by `__typename` and `id` (docs/clients.md). Types "
    "without an id (Money, UserError, PageInfo...) are values embedded in their parent."
)
class Node:
    id: strawberry.ID = strawberry.field(
        description="Opaque and unique across all types; `node(id:)` answers the object while the caller may see it."
    )


@strawberry.type(description='An exact amount; `amount` is a decimal string such as "12.50".')
class Money:
    amount: Decimal
    currency: str

    @classmethod
    def of(cls, minor: int, currency: str) -> Money:
        return _money(minor, currency)


def money_field(amount: Callable[[Any], int], description: str | None = None) -> Any:
    """A Money field built only when selected, from the object's minor amount and its `currency`
    attribute (read by the execution fast path too: app/schema/execution.py)."""

    @answered_from()
    def resolve(root: Any) -> Money:  # noqa: ANN401 - the object being answered
        return Money.of(amount(root), root.currency)

    return strawberry.field(resolver=resolve, description=description)


@lru_cache(maxsize=8192)
def _money(minor: int, currency: str) -> Money:
    """Money values are never modified once made, so equal amounts share one instance: a listing shows
    hundreds of amounts per request, most of them repeated (unit prices, totals of similar lines)."""
    return Money(amount=to_decimal(minor), currency=currency)


@strawberry.type(description="A voucher on an order and the discount it gives (frozen once placed).")
class AppliedVoucher:
    code: str
    discount: Money


@strawberry.type(description="A business problem: in a payload's errors or warnings, or a draft's issues.")
class UserError:
    code: ErrorCode
    message: str
    field: list[str] | None = None
    index: int | None = None
    line_id: strawberry.ID | None = None
    blocking: bool = strawberry.field(default=True, description="Whether it blocks placement (issues).")

    @classmethod
    def of(cls, p: Problem) -> UserError:
        return cls(
            code=p.code,
            message=p.message,
            field=list(p.field) if p.field else None,
            index=p.index,
            line_id=strawberry.ID(p.line_id) if p.line_id else None,
            blocking=p.blocking,
        )


def user_errors(problems: list[Problem]) -> list[UserError]:
    return [UserError.of(p) for p in problems]


@strawberry.enum(description="Which way a sort key orders (nulls always last).")
class SortDirection(Enum):
    ASC = "asc"
    DESC = "desc"


@strawberry.type(
    description="Where a page stands. Paging forward (first/after) or backward (last/before): hasNextPage and "
    "hasPreviousPage tell whether items lie beyond the page on each side (on the cursor's side: whenever a "
    "cursor was given)."
)
class PageInfo:
    has_next_page: bool
    has_previous_page: bool
    start_cursor: str | None
    end_cursor: str | None

    @classmethod
    def of(cls, cursors: list[str], has_next: bool, has_previous: bool) -> PageInfo:
        return cls(
            has_next_page=has_next,
            has_previous_page=has_previous,
            start_cursor=cursors[0] if cursors else None,
            end_cursor=cursors[-1] if cursors else None,
        )


@strawberry.type
class Metadata:
    key: str
    value: str


@strawberry.input
class MetadataInput:
    key: str
    value: str


class ApiError(GraphQLError):
    """A deliberate top-level error: UNAUTHENTICATED, FORBIDDEN or BAD_REQUEST."""

    def __init__(self, code: TopLevelCode, message: str) -> None:
        super().__init__(message, extensions={"code": code.value})


def bad_request(message: str) -> ApiError:
    return ApiError(TopLevelCode.BAD_REQUEST, message)


def forbidden(message: str = "not allowed for this caller") -> ApiError:
    return ApiError(TopLevelCode.FORBIDDEN, message)


def unauthenticated(message: str = "sign in first: send Authorization: Bearer <token>") -> ApiError:
    return ApiError(TopLevelCode.UNAUTHENTICATED, message)
