"""Every status of a commercial order, its payment and its logistic orders, with its transition table, and
the predicates the rest of the code asks instead of comparing strings.

Commercial order (SPEC 6):

    DRAFT ----------> PLACED ---------> CANCELED
      |  ^              ^
      |  |              |
      v  |              |
    PAYMENT_PENDING ----+          (redirect payment: prices frozen, lines locked, stock held;
      ^                             back to DRAFT on refusal, cancellation or expiry)
      |
    DRAFT_ON_HOLD --> PLACED       (locked draft from a quote: addresses and references editable)

    DRAFT --> PENDING_APPROVAL --> PLACED   (parts that need an approval: locked, priced, no stock held;
                     |                       docs/b2b.md; a rejection gives the draft back)
                     +---> DRAFT
"""

from __future__ import annotations

from enum import StrEnum


class OrderStatus(StrEnum):
    DRAFT = "DRAFT"
    DRAFT_ON_HOLD = "DRAFT_ON_HOLD"
    PAYMENT_PENDING = "PAYMENT_PENDING"
    PENDING_APPROVAL = "PENDING_APPROVAL"
    PLACED = "PLACED"
    CANCELED = "CANCELED"


class PaymentStatus(StrEnum):
    """Before an answer, the attempts set it (AWAITING_PAYMENT, AUTHORIZATION_PENDING, REFUSED); once money
    is held, taken or given back, the ledger's amounts do (payments/ledger.py `status_of`)."""

    NOT_REQUIRED = "NOT_REQUIRED"
    AWAITING_PAYMENT = "AWAITING_PAYMENT"
    AUTHORIZATION_PENDING = "AUTHORIZATION_PENDING"
    AUTHORIZED = "AUTHORIZED"
    PARTIALLY_PAID = "PARTIALLY_PAID"
    PAID = "PAID"
    PARTIALLY_REFUNDED = "PARTIALLY_REFUNDED"
    REFUNDED = "REFUNDED"
    VOIDED = "VOIDED"
    REFUSED = "REFUSED"


class LogisticStatus(StrEnum):
    ORDER_CREATED = "ORDER_CREATED"
    WAITING_SUPPLIER_APPROVAL = "WAITING_SUPPLIER_APPROVAL"
    ACCEPTED_BY_SUPPLIER = "ACCEPTED_BY_SUPPLIER"
    DECLINED_BY_SUPPLIER = "DECLINED_BY_SUPPLIER"
    WAITING_SHIPMENT = "WAITING_SHIPMENT"
    PARTIALLY_SHIPPED = "PARTIALLY_SHIPPED"
    SHIPPED = "SHIPPED"
    COMPLETED = "COMPLETED"
    CANCELED = "CANCELED"


S, P, L = OrderStatus, PaymentStatus, LogisticStatus

ORDER_TRANSITIONS: dict[OrderStatus, tuple[OrderStatus, ...]] = {
    S.DRAFT: (S.PLACED, S.PAYMENT_PENDING, S.PENDING_APPROVAL),
    S.PENDING_APPROVAL: (S.PLACED, S.DRAFT),
    S.DRAFT_ON_HOLD: (S.PLACED, S.PAYMENT_PENDING),
    S.PAYMENT_PENDING: (S.PLACED, S.DRAFT),
    S.PLACED: (S.CANCELED,),
    S.CANCELED: (),
}

# docs/payments.md draws it. Money held or taken never goes back to "nothing happened": from AUTHORIZED on,
# only the ledger moves the status, and a refund or a void is the only way down.
PAYMENT_TRANSITIONS: dict[PaymentStatus, tuple[PaymentStatus, ...]] = {
    P.NOT_REQUIRED: (P.AWAITING_PAYMENT, P.AUTHORIZATION_PENDING),
    P.AWAITING_PAYMENT: (P.AUTHORIZATION_PENDING, P.PARTIALLY_PAID, P.PAID),
    P.AUTHORIZATION_PENDING: (P.AUTHORIZED, P.PAID, P.REFUSED, P.NOT_REQUIRED, P.AWAITING_PAYMENT),
    P.REFUSED: (P.AUTHORIZATION_PENDING, P.AWAITING_PAYMENT, P.PARTIALLY_PAID, P.PAID, P.NOT_REQUIRED),
    P.AUTHORIZED: (P.PARTIALLY_PAID, P.PAID, P.VOIDED),
    # the rest of a partly paid order: received by wire, or paid with payOrder (AUTHORIZATION_PENDING)
    P.PARTIALLY_PAID: (P.PAID, P.AUTHORIZATION_PENDING, P.PARTIALLY_REFUNDED, P.REFUNDED),
    P.PAID: (P.PARTIALLY_REFUNDED, P.REFUNDED),
    P.PARTIALLY_REFUNDED: (P.REFUNDED,),
    P.REFUNDED: (),
    # an authorization released (expired, or its order canceled): a live order can be paid again
    P.VOIDED: (P.AUTHORIZATION_PENDING, P.AWAITING_PAYMENT, P.PARTIALLY_PAID, P.PAID),
}

# The logistic order state machine (SPEC 6): forward only, driven by operators.
LOGISTIC_TRANSITIONS: dict[LogisticStatus, tuple[LogisticStatus, ...]] = {
    L.ORDER_CREATED: (L.WAITING_SUPPLIER_APPROVAL, L.CANCELED),
    L.WAITING_SUPPLIER_APPROVAL: (L.ACCEPTED_BY_SUPPLIER, L.DECLINED_BY_SUPPLIER, L.CANCELED),
    L.ACCEPTED_BY_SUPPLIER: (L.WAITING_SHIPMENT, L.CANCELED),
    L.WAITING_SHIPMENT: (L.PARTIALLY_SHIPPED, L.SHIPPED, L.CANCELED),
    L.PARTIALLY_SHIPPED: (L.SHIPPED,),
    L.SHIPPED: (L.COMPLETED,),
    L.DECLINED_BY_SUPPLIER: (),
    L.COMPLETED: (),
    L.CANCELED: (),
}

# Not yet placed nor canceled: a draft, or an order waiting for its payment.
IN_PROGRESS = (S.DRAFT, S.DRAFT_ON_HOLD, S.PAYMENT_PENDING, S.PENDING_APPROVAL)

# Before any of these, nothing has left the warehouse: the order can still be canceled.
BEFORE_SHIPMENT = (L.ORDER_CREATED, L.WAITING_SUPPLIER_APPROVAL, L.ACCEPTED_BY_SUPPLIER, L.WAITING_SHIPMENT)

# A logistic order that will never ship: canceled, or declined by its supplier. Its share of the order was
# settled when it ended (refunded, voided, or taken off what is due: payments/shares.py).
ENDED = (L.CANCELED, L.DECLINED_BY_SUPPLIER)


class TransitionRefused(ValueError):
    def __init__(self, current: str, wanted: str, allowed: tuple[str, ...]) -> None:
        names = ", ".join(allowed) or "none (final state)"
        super().__init__(f"{current} cannot move to {wanted}; allowed next states: {names}")
        self.allowed = allowed


def _check(table: dict, current: str, wanted: str) -> None:
    allowed = table.get(current, ())
    if wanted not in allowed:
        raise TransitionRefused(current, wanted, allowed)


def check_order_move(current: str, wanted: str) -> None:
    _check(ORDER_TRANSITIONS, current, wanted)


def check_payment_move(current: str, wanted: str) -> None:
    _check(PAYMENT_TRANSITIONS, current, wanted)


def move_payment(order: object, wanted: PaymentStatus) -> None:
    """Set an order's payment status through the transition table (staying put is no move)."""
    current = order.payment_status  # type: ignore[attr-defined]
    if current != wanted:
        check_payment_move(current, wanted)
        order.payment_status = wanted  # type: ignore[attr-defined]


def next_logistic_statuses(status: str) -> tuple[LogisticStatus, ...]:
    return LOGISTIC_TRANSITIONS.get(status, ())  # type: ignore[call-overload]


# ---- predicates: ask these, never compare status strings elsewhere ----------------------------------


def is_draft(status: str) -> bool:
    """Exposed as a DraftOrder (editable, locked, or waiting for an approval); anything else is an Order."""
    return status in (S.DRAFT, S.DRAFT_ON_HOLD, S.PENDING_APPROVAL)


def lines_editable(status: str) -> bool:
    return status == S.DRAFT


def details_editable(status: str) -> bool:
    """Addresses, references, notes, metadata (a quote's locked draft keeps these open)."""
    return status in (S.DRAFT, S.DRAFT_ON_HOLD)


def priced_live(status: str) -> bool:
    """Priced with today's rules on every read; otherwise the stored (frozen) amounts are the truth."""
    return is_draft(status)


def placeable(status: str) -> bool:
    return status in (S.DRAFT, S.DRAFT_ON_HOLD)


def is_placed(status: str) -> bool:
    return status in (S.PLACED, S.CANCELED)


def deletable(status: str) -> bool:
    return status == S.DRAFT


def cancelable(status: str) -> bool:
    return status == S.PLACED


def shipment_allowed(status: str) -> bool:
    """A shipment may be recorded (createShipment): the move it makes, to PARTIALLY_SHIPPED or SHIPPED, is in the
    table from here (WAITING_SHIPMENT, PARTIALLY_SHIPPED)."""
    return L.SHIPPED in LOGISTIC_TRANSITIONS.get(status, ())  # type: ignore[call-overload]


def logistic_ended(status: str) -> bool:
    """Canceled or declined: it will never ship, and its share of the order is no longer due."""
    return status in ENDED
