"""Statuses of the sources a draft starts from (SPEC 8), with their transition tables and the predicates the
rest of the code asks instead of comparing strings, like the order's (rules/states.py).

Quote (operators send or decline; the buyer's placement validates; time expires it):

    NEW ----------------------------+--> WAITING_FOR_CUSTOMER --> VALIDATED (its draft is placed)
    WAITING_FOR_SUPPLIER_INFORMATION +        |
         |                                    +--> DECLINED_BY_CUSTOMER
         +--> DECLINED_BY_SUPPLIER <----------+
    open (NEW, WAITING_*) past `expires_at` reads as EXPIRED

Operation (operators; never back to DRAFT; reactivation only before the end date):

    DRAFT --> ACTIVE <--> INACTIVE,  DRAFT --> INACTIVE;  ACTIVE past `ends_at` reads as INACTIVE
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from app.services.rules.states import TransitionRefused


class QuoteStatus(StrEnum):
    NEW = "NEW"
    WAITING_FOR_SUPPLIER_INFORMATION = "WAITING_FOR_SUPPLIER_INFORMATION"
    WAITING_FOR_CUSTOMER = "WAITING_FOR_CUSTOMER"
    DECLINED_BY_CUSTOMER = "DECLINED_BY_CUSTOMER"
    DECLINED_BY_SUPPLIER = "DECLINED_BY_SUPPLIER"
    VALIDATED = "VALIDATED"
    EXPIRED = "EXPIRED"


class OperationStatus(StrEnum):
    DRAFT = "DRAFT"
    ACTIVE = "ACTIVE"
    INACTIVE = "INACTIVE"


Q, Op = QuoteStatus, OperationStatus

QUOTE_TRANSITIONS: dict[QuoteStatus, tuple[QuoteStatus, ...]] = {
    Q.NEW: (Q.WAITING_FOR_CUSTOMER, Q.DECLINED_BY_SUPPLIER),
    Q.WAITING_FOR_SUPPLIER_INFORMATION: (Q.WAITING_FOR_CUSTOMER, Q.DECLINED_BY_SUPPLIER),
    Q.WAITING_FOR_CUSTOMER: (Q.VALIDATED, Q.DECLINED_BY_SUPPLIER, Q.DECLINED_BY_CUSTOMER),
    Q.DECLINED_BY_CUSTOMER: (),
    Q.DECLINED_BY_SUPPLIER: (),
    Q.VALIDATED: (),
    Q.EXPIRED: (),
}

OPERATION_TRANSITIONS: dict[OperationStatus, tuple[OperationStatus, ...]] = {
    Op.DRAFT: (Op.ACTIVE, Op.INACTIVE),
    Op.ACTIVE: (Op.INACTIVE,),
    Op.INACTIVE: (Op.ACTIVE,),
}


def check_quote_move(current: str, wanted: str) -> None:
    allowed = QUOTE_TRANSITIONS.get(current, ())  # type: ignore[call-overload]
    if wanted not in allowed:
        raise TransitionRefused(current, wanted, allowed)


def quote_sources_of(wanted: QuoteStatus) -> tuple[QuoteStatus, ...]:
    """The statuses a quote may move to `wanted` from."""
    return tuple(s for s, targets in QUOTE_TRANSITIONS.items() if wanted in targets)


def operation_next_statuses(status: str) -> tuple[OperationStatus, ...]:
    return OPERATION_TRANSITIONS.get(status, ())  # type: ignore[call-overload]


# ---- predicates: ask these, never compare status strings elsewhere ----------------------------------


def quote_open(status: str) -> bool:
    """Still being negotiated: it may expire."""
    return status in (Q.NEW, Q.WAITING_FOR_SUPPLIER_INFORMATION, Q.WAITING_FOR_CUSTOMER)


def quote_editable(status: str) -> bool:
    """Operators may change its lines and terms."""
    return status in (Q.NEW, Q.WAITING_FOR_SUPPLIER_INFORMATION)


def quote_orderable(status: str) -> bool:
    """A buyer may start a draft from it."""
    return status == Q.WAITING_FOR_CUSTOMER


def quote_status_at(status: str, expires_at: datetime | None, now: datetime) -> QuoteStatus:
    """An open quote past its expiry reads as EXPIRED."""
    if quote_open(status) and expires_at is not None and expires_at <= now:
        return Q.EXPIRED
    return QuoteStatus(status)


def operation_editable(status: str) -> bool:
    """Its lines and accounts may change."""
    return status in (Op.DRAFT, Op.INACTIVE)


def operation_deletable(status: str) -> bool:
    return status == Op.DRAFT


def operation_live(status: str) -> bool:
    return status == Op.ACTIVE


def operation_status_at(status: str, ends_at: datetime | None, now: datetime) -> OperationStatus:
    """An active operation past its end date reads as INACTIVE."""
    if status == Op.ACTIVE and ends_at is not None and ends_at <= now:
        return Op.INACTIVE
    return OperationStatus(status)
