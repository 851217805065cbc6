"""Payment attempt statuses and their transitions; what an attempt pays for; the ledger's transaction kinds
and statuses; how a method captures."""

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


class CaptureMode(StrEnum):
    AUTOMATIC = "AUTOMATIC"  # the provider's approval takes the money (authorize and capture at once)
    MANUAL = "MANUAL"  # the approval only authorizes; an operator (or the shipment) captures later


class TransactionKind(StrEnum):
    """What a ledger entry records (services/payments/ledger.py)."""

    AUTHORIZATION = "AUTHORIZATION"  # the provider holds the amount on the buyer's means of payment
    CAPTURE = "CAPTURE"  # the held amount is taken
    VOID = "VOID"  # what was held and not taken is released
    REFUND = "REFUND"  # taken money is given back
    MANUAL = "MANUAL"  # money received outside a provider (bank wire, cash on delivery), recorded by an operator


class TransactionStatus(StrEnum):
    PENDING = "PENDING"  # asked of the provider, not yet answered (refunds: until the provider's callback)
    SUCCEEDED = "SUCCEEDED"
    FAILED = "FAILED"


TRANSACTION_TRANSITIONS: dict[TransactionStatus, tuple[TransactionStatus, ...]] = {
    TransactionStatus.PENDING: (TransactionStatus.SUCCEEDED, TransactionStatus.FAILED),
    TransactionStatus.SUCCEEDED: (),
    TransactionStatus.FAILED: (),
}
