"""The error codes of the API and the shape of a business problem.

`ErrorCode` is the single enum of business outcomes (payload `errors` / `warnings` / `issues`).
`TopLevelCode` is the set of `extensions.code` values of top-level GraphQL errors: authentication,
request limits and masked failures only.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum, StrEnum


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
    SKU_NOT_FOUND = "SKU_NOT_FOUND"  # quick order, pasted lines, requisition lists: no variant has this SKU
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
    # shipments and returns
    SHIPMENT_EXCEEDS_ORDERED = "SHIPMENT_EXCEEDS_ORDERED"
    RETURN_EXCEEDS_SHIPPED = "RETURN_EXCEEDS_SHIPPED"
    # quotes and operations
    QUOTE_NOT_ELIGIBLE = "QUOTE_NOT_ELIGIBLE"
    NO_LINES_AVAILABLE = "NO_LINES_AVAILABLE"
    OPERATION_NOT_AVAILABLE = "OPERATION_NOT_AVAILABLE"
    NO_ELIGIBLE_LINES = "NO_ELIGIBLE_LINES"
    QUOTE_NOT_EDITABLE = "QUOTE_NOT_EDITABLE"
    OPERATION_NOT_EDITABLE = "OPERATION_NOT_EDITABLE"
    OPERATION_DELETE_BLOCKED = "OPERATION_DELETE_BLOCKED"
    # cart checkout and payments
    CART_EMPTY = "CART_EMPTY"
    PROFILE_INCOMPLETE = "PROFILE_INCOMPLETE"
    SHIPPING_METHOD_UNAVAILABLE = "SHIPPING_METHOD_UNAVAILABLE"
    NOTES_TOO_LONG = "NOTES_TOO_LONG"
    PAYMENT_SERVICE_UNAVAILABLE = "PAYMENT_SERVICE_UNAVAILABLE"
    ORDER_ALREADY_PAID = "ORDER_ALREADY_PAID"
    ORDER_NOT_PAYABLE = "ORDER_NOT_PAYABLE"
    PAYMENT_NOT_PENDING = "PAYMENT_NOT_PENDING"  # cancelPayment: no payment of the order is in progress
    # the money after the payment (payments/ledger.py)
    OVERPAYMENT = "OVERPAYMENT"
    NOTHING_TO_CAPTURE = "NOTHING_TO_CAPTURE"
    CAPTURE_EXCEEDS_AUTHORIZED = "CAPTURE_EXCEEDS_AUTHORIZED"
    REFUND_EXCEEDS_CAPTURED = "REFUND_EXCEEDS_CAPTURED"
    REFUND_EXCEEDS_ORDERED = "REFUND_EXCEEDS_ORDERED"
    REFUND_AMOUNT_MISMATCH = "REFUND_AMOUNT_MISMATCH"
    LINE_CANCELED = "LINE_CANCELED"
    # promotions, vouchers, createOrderFromCart
    VOUCHER_INVALID = "VOUCHER_INVALID"
    VOUCHER_EXPIRED = "VOUCHER_EXPIRED"
    VOUCHER_USAGE_LIMIT = "VOUCHER_USAGE_LIMIT"
    VOUCHER_MIN_PURCHASE = "VOUCHER_MIN_PURCHASE"
    VOUCHER_NOT_APPLICABLE = "VOUCHER_NOT_APPLICABLE"
    VOUCHER_ALREADY_APPLIED = "VOUCHER_ALREADY_APPLIED"
    PROMOTION_EXHAUSTED = "PROMOTION_EXHAUSTED"
    COUNTRY_NAME_NOT_FULL = "COUNTRY_NAME_NOT_FULL"
    # B2B purchasing controls (docs/b2b.md)
    APPROVAL_REQUIRED = "APPROVAL_REQUIRED"  # a supplier part needs an approval (requestApproval)
    APPROVAL_NOT_REQUIRED = "APPROVAL_NOT_REQUIRED"  # requestApproval on a draft no rule holds: place it
    APPROVAL_NOT_ALLOWED = "APPROVAL_NOT_ALLOWED"  # the requester's own, another tier's, above the approver's limit
    ORDER_NOT_PENDING_APPROVAL = "ORDER_NOT_PENDING_APPROVAL"  # approve / reject: nothing of it waits
    BUDGET_EXCEEDED = "BUDGET_EXCEEDED"  # the order's total does not fit in a budget of the account
    LAST_ADMIN = "LAST_ADMIN"  # removing or demoting the account's last ADMIN


class TopLevelCode(StrEnum):
    """`extensions.code` of top-level errors (never business outcomes)."""

    UNAUTHENTICATED = "UNAUTHENTICATED"
    FORBIDDEN = "FORBIDDEN"
    BAD_REQUEST = "BAD_REQUEST"
    TIMEOUT = "TIMEOUT"
    SERVICE_UNAVAILABLE = "SERVICE_UNAVAILABLE"  # the database connection dropped: HTTP 503, retry the request
    INTERNAL = "INTERNAL"


@dataclass(frozen=True)
class Problem:
    """A business outcome reported in a payload's `errors` (or `warnings`, `issues`)."""

    code: ErrorCode
    message: str
    field: tuple[str, ...] | None = None
    index: int | None = None
    line_id: str | None = None
    blocking: bool = True


class Refusal(Exception):
    """Raised deep inside a service to refuse the whole unit of work. Only `common.outcome.service` catches
    it, turning it into a refused Outcome (roll back); the mutation wrapper never sees it."""

    def __init__(self, *problems: Problem, value: object = None) -> None:
        super().__init__(problems[0].message if problems else "refused")
        self.problems = list(problems)
        self.value = value  # what the payload shows after the rollback (the draft as it was), if anything


def problems_to_json(problems: list[Problem]) -> list[dict]:
    return [
        {
            "code": p.code.value,
            "message": p.message,
            "field": list(p.field) if p.field is not None else None,
            "index": p.index,
            "lineId": p.line_id,
            "blocking": p.blocking,
        }
        for p in problems
    ]


def problems_from_json(items: list[dict]) -> list[Problem]:
    return [
        Problem(
            ErrorCode(d["code"]),
            d["message"],
            field=tuple(d["field"]) if d.get("field") is not None else None,
            index=d.get("index"),
            line_id=d.get("lineId"),
            blocking=d.get("blocking", True),
        )
        for d in items
    ]
