"""createShipment and createReturn (operators)."""

from __future__ import annotations

import strawberry

from app.resolvers.common import ctx_of, require_operator, run_mutation
from app.schema.common import user_errors
from app.schema.order_parts import LogisticOrder
from app.schema.orders import Order
from app.schema.payments import PaymentTransaction
from app.schema.shipping import CreateReturnInput, CreateReturnPayload, CreateShipmentInput, CreateShipmentPayload
from app.schema.shipping_parts import Return, Shipment
from app.services.checkout import goods_money


async def create_shipment(info: strawberry.Info, input: CreateShipmentInput) -> CreateShipmentPayload:
    caller = require_operator(info)
    lines = [(str(ln.line_id), ln.quantity) for ln in input.lines]
    config = ctx_of(info).payment_config()
    outcome = await run_mutation(
        info,
        lambda s: goods_money.ship(
            s, caller, str(input.logistic_order_id), lines, input.carrier, input.tracking_number, payment=config
        ),
    )
    done = outcome.value if outcome.commit else None
    return CreateShipmentPayload(
        shipment=Shipment.of(done.view) if done else None,
        logistic_order=LogisticOrder.of(done.logistic_order) if done else None,
        errors=user_errors(outcome.errors),
    )


async def create_return(info: strawberry.Info, input: CreateReturnInput) -> CreateReturnPayload:
    caller = require_operator(info)
    lines = [(str(ln.line_id), ln.quantity, ln.restock) for ln in input.lines]
    config = ctx_of(info).payment_config()
    outcome = await run_mutation(
        info,
        lambda s: goods_money.take_back(
            s,
            caller,
            str(input.order_id),
            lines,
            input.reason,
            refund=input.refund,
            key=input.idempotency_key,
            payment=config,
        ),
        retry_safe=input.idempotency_key is not None,  # keyed, and a refund's provider call is keyed by it
    )
    done = outcome.value if outcome.commit else None
    return CreateReturnPayload(
        return_=Return.of(done.recorded.view) if done else None,
        order=Order.of(done.recorded.order) if done else None,
        refund_transactions=[PaymentTransaction.of(t) for t in done.refund] if done else [],
        errors=user_errors(outcome.errors),
    )
