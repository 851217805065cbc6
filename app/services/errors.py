"""The single error-code enum of the API and the shape of a business problem."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class ErrorCode(Enum):
    # generic
    INVALID_INPUT = "INVALID_INPUT"
    NOT_FOUND = "NOT_FOUND"
    FORBIDDEN = "FORBIDDEN"
    INVALID_CREDENTIALS = "INVALID_CREDENTIALS"
    FEATURE_DISABLED = "FEATURE_DISABLED"
    RATE_LIMITED = "RATE_LIMITED"  # too many attempts: retry after the seconds in the Retry-After header
    # drafts and lines
    VERSION_CONFLICT = "VERSION_CONFLICT"
    ORDER_NOT_EDITABLE = "ORDER_NOT_EDITABLE"
    ORDER_DELETE_BLOCKED = "ORDER_DELETE_BLOCKED"
    ADDRESS_NOT_FOUND = "ADDRESS_NOT_FOUND"
    ADDRESS_TYPE_MISMATCH = "ADDRESS_TYPE_MISMATCH"
    LINE_NOT_FOUND = "LINE_NOT_FOUND"
    PRODUCT_NOT_VISIBLE = "PRODUCT_NOT_VISIBLE"
    OFFER_UNAVAILABLE = "OFFER_UNAVAILABLE"
    QUANTITY_BELOW_MIN = "QUANTITY_BELOW_MIN"
    QUANTITY_ABOVE_MAX = "QUANTITY_ABOVE_MAX"
    QUANTITY_NOT_PACK_MULTIPLE = "QUANTITY_NOT_PACK_MULTIPLE"
    INVALID_QUANTITY = "INVALID_QUANTITY"
    INSUFFICIENT_STOCK = "INSUFFICIENT_STOCK"
    PRICE_CHANGED = "PRICE_CHANGED"
    # placement
    ORDER_EMPTY = "ORDER_EMPTY"
    SHIPPING_ADDRESS_REQUIRED = "SHIPPING_ADDRESS_REQUIRED"
    BILLING_ADDRESS_REQUIRED = "BILLING_ADDRESS_REQUIRED"
    PAYMENT_METHOD_UNAVAILABLE = "PAYMENT_METHOD_UNAVAILABLE"
    IDEMPOTENCY_KEY_REUSED = "IDEMPOTENCY_KEY_REUSED"
    # after placement
    INVALID_STATUS_TRANSITION = "INVALID_STATUS_TRANSITION"
    ORDER_NOT_CANCELABLE = "ORDER_NOT_CANCELABLE"
    # quotes and operations
    QUOTE_NOT_ELIGIBLE = "QUOTE_NOT_ELIGIBLE"
    NO_LINES_AVAILABLE = "NO_LINES_AVAILABLE"
    OPERATION_NOT_AVAILABLE = "OPERATION_NOT_AVAILABLE"
    NO_ELIGIBLE_LINES = "NO_ELIGIBLE_LINES"
    QUOTE_NOT_EDITABLE = "QUOTE_NOT_EDITABLE"
    OPERATION_NOT_EDITABLE = "OPERATION_NOT_EDITABLE"
    OPERATION_DELETE_BLOCKED = "OPERATION_DELETE_BLOCKED"


@dataclass(frozen=True)
class Problem:
    """A business outcome reported in a payload's `errors` (or `warnings`, `issues`)."""

    code: ErrorCode
    message: str
    field: tuple[str, ...] | None = None
    index: int | None = None
    line_id: str | None = None
    blocking: bool = True


class ServiceError(Exception):
    """Raised inside a unit of work to abort it: the transaction rolls back and the problems are reported."""

    def __init__(self, *problems: Problem) -> None:
        super().__init__(problems[0].message if problems else "service error")
        self.problems = list(problems)
