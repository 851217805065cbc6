"""Inputs and payloads of the operator mutations on an order's money after the payment (recordPayment and
what follows it): each answers the order, with its ledger, and the transaction it wrote."""

from __future__ import annotations

import strawberry

from app.schema.common import UserError
from app.schema.orders import Order
from app.schema.payments import PaymentTransaction
from app.schema.scalars import DecimalText


@strawberry.input(description="Money received for an order outside a payment provider (a bank wire, cash).")
class RecordPaymentInput:
    order_id: strawberry.ID = strawberry.field(description="The order's id or its reference (any case).")
    amount: DecimalText = strawberry.field(
        description="What was received, in the order's currency (\"120.00\"): more than zero, at most the order's "
        "outstandingAmount (else OVERPAYMENT)."
    )
    reference: str | None = strawberry.field(
        default=None, description="The bank's or the cashier's reference, kept on the transaction (200 characters)."
    )
    idempotency_key: str = strawberry.field(
        description="Makes the call safe to retry: the same key on this order answers the first result; with "
        "another amount or reference it is IDEMPOTENCY_KEY_REUSED."
    )


@strawberry.type(description="The order after a change of its money, and the ledger entry written (or replayed).")
class OrderTransactionPayload:
    order: Order | None
    transaction: PaymentTransaction | None = strawberry.field(
        description="The ledger entry this call wrote (a replay: the first call's)."
    )
    errors: list[UserError]


@strawberry.input(description="Capture part or all of what an order's approved MANUAL-capture payment holds.")
class CapturePaymentInput:
    order_id: strawberry.ID = strawberry.field(description="The order's id or its reference (any case).")
    amount: DecimalText | None = strawberry.field(
        default=None,
        description='What to capture ("50.00"); default: everything still authorized. More than that is '
        "CAPTURE_EXCEEDS_AUTHORIZED; the rest of a partial capture stays authorized.",
    )
    idempotency_key: str = strawberry.field(
        description="Makes the call safe to retry: the same key on this order answers the first result; with "
        "another amount it is IDEMPOTENCY_KEY_REUSED."
    )
