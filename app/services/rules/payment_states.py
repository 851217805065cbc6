"""Payment attempt statuses and their transitions; what an attempt pays for."""

from __future__ import annotations

from enum import StrEnum


class AttemptStatus(StrEnum):
    PENDING = "PENDING"
    APPROVED = "APPROVED"
    REFUSED = "REFUSED"
    EXPIRED = "EXPIRED"
    CANCELED = "CANCELED"  # the buyer gave up the payment (cancelPayment): ends it as a refusal would


ATTEMPT_TRANSITIONS: dict[AttemptStatus, tuple[AttemptStatus, ...]] = {
    AttemptStatus.PENDING: (
        AttemptStatus.APPROVED,
        AttemptStatus.REFUSED,
        AttemptStatus.EXPIRED,
        AttemptStatus.CANCELED,
    ),
    AttemptStatus.APPROVED: (),
    AttemptStatus.REFUSED: (),
    AttemptStatus.EXPIRED: (),
    AttemptStatus.CANCELED: (),
}


class Purpose(StrEnum):
    CART = "CART"  # checkoutCart: a failure returns the order to DRAFT, the buyer's cart again
    DRAFT = "DRAFT"  # placeDraftOrder with a redirect method: a failure returns it to DRAFT
    ORDER = "ORDER"  # payOrder: the order stays placed; only its payment status moves


class MethodKind(StrEnum):
    REDIRECT = "REDIRECT"
    DIRECT = "DIRECT"
