"""Operator mutations on an order's money after the payment (services/payments)."""

from __future__ import annotations

import strawberry

from app.resolvers.common import require_operator, run_mutation
from app.schema.common import user_errors
from app.schema.ledger import OrderTransactionPayload, RecordPaymentInput
from app.schema.orders import Order
from app.schema.payments import PaymentTransaction
from app.services.payments import received


async def record_payment(info: strawberry.Info, input: RecordPaymentInput) -> OrderTransactionPayload:
    caller = require_operator(info)
    outcome = await run_mutation(
        info,
        lambda s: received.record_payment(
            s, caller, str(input.order_id), input.amount, input.reference, input.idempotency_key
        ),
        retry_safe=True,  # keyed: a second run replays the first
    )
    done = outcome.value
    return OrderTransactionPayload(
        order=Order.of(done.order) if done else None,
        transaction=PaymentTransaction.of(done.transaction) if done else None,
        errors=user_errors(outcome.errors),
    )
