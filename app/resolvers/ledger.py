"""Operator mutations on an order's money after the payment (services/payments)."""

from __future__ import annotations

import strawberry

from app.observability import metrics
from app.resolvers.common import ctx_of, require_operator, run_mutation
from app.schema.common import user_errors
from app.schema.ledger import CapturePaymentInput, OrderTransactionPayload, RecordPaymentInput
from app.schema.orders import Order
from app.schema.payments import PaymentTransaction
from app.services.common.outcome import Outcome
from app.services.payments import captures, received


async def record_payment(info: strawberry.Info, input: RecordPaymentInput) -> OrderTransactionPayload:
    caller = require_operator(info)
    outcome = await run_mutation(
        info,
        lambda s: received.record_payment(
            s, caller, str(input.order_id), input.amount, input.reference, input.idempotency_key
        ),
        retry_safe=True,  # keyed: a second run replays the first
    )
    return _payload(outcome)


async def capture_payment(info: strawberry.Info, input: CapturePaymentInput) -> OrderTransactionPayload:
    caller = require_operator(info)
    config = ctx_of(info).payment_config()
    outcome = await run_mutation(
        info,
        lambda s: captures.capture_payment(
            s, caller, str(input.order_id), input.amount, input.idempotency_key, config=config
        ),
        retry_safe=True,  # keyed: a second run replays the first
    )
    return _payload(outcome)


def _payload(outcome: Outcome) -> OrderTransactionPayload:
    """`outcome.value` is a `ledger.Written`: the order and the entry written (or replayed)."""
    done = outcome.value
    if done is not None and not done.replayed:
        metrics.observe_transaction(done.transaction.kind, done.transaction.status)
    return OrderTransactionPayload(
        order=Order.of(done.order) if done else None,
        transaction=PaymentTransaction.of(done.transaction) if done else None,
        errors=user_errors(outcome.errors),
    )
