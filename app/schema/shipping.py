"""createShipment and createReturn: their inputs and payloads (the types they show are in shipping_parts.py)."""

from __future__ import annotations

import strawberry

from app.schema.common import UserError
from app.schema.order_parts import LogisticOrder
from app.schema.orders import Order
from app.schema.payments import PaymentTransaction
from app.schema.shipping_parts import Return, Shipment


@strawberry.input(description="Units of one order line to ship.")
class ShipmentLineInput:
    line_id: strawberry.ID = strawberry.field(description="A line of the logistic order (LogisticOrder.lines).")
    quantity: int = strawberry.field(
        description="Units, at least 1; with the units shipped already, at most the line's quantity."
    )


@strawberry.input(description="A shipment of one logistic order.")
class CreateShipmentInput:
    logistic_order_id: strawberry.ID = strawberry.field(
        description="The logistic order's id or its reference (any case, e.g. ORD-261204-69DDT3-1); it must be "
        "WAITING_SHIPMENT or PARTIALLY_SHIPPED."
    )
    lines: list[ShipmentLineInput] = strawberry.field(description="What it holds: each line once, at most 200.")
    carrier: str = strawberry.field(description="Who carries it (at most 100 characters).")
    tracking_number: str | None = strawberry.field(
        default=None, description="The carrier's tracking number, shown to the buyer (at most 100 characters)."
    )


@strawberry.input(description="Units of one order line that came back.")
class ReturnLineInput:
    line_id: strawberry.ID = strawberry.field(description="A line of the order (Order.lines).")
    quantity: int = strawberry.field(
        description="Units, at least 1; with the units returned already, at most what was shipped of the line."
    )
    restock: bool = strawberry.field(description="true: the units go back to the offer's stock.")


@strawberry.input(description="A return of shipped units of one order.")
class CreateReturnInput:
    order_id: strawberry.ID = strawberry.field(description="The order's id or its reference (any case).")
    lines: list[ReturnLineInput] = strawberry.field(
        description="What came back: each line once, at most 200, all of one logistic order."
    )
    reason: str | None = strawberry.field(default=None, description="Why (at most 1000 characters).")
    refund: bool = strawberry.field(
        default=False,
        description="true: refund the returned units now, as refundOrder with these lines would (its rules and "
        "refusals; a refused refund refuses the return); false: refund later with refundOrder.",
    )
    idempotency_key: str | None = strawberry.field(
        default=None,
        description="Makes the call safe to retry: the same key on this order answers the first return (and its "
        "refund) and writes nothing. Required with refund: true (it is the refund's key too).",
    )


@strawberry.type(description="The result of createShipment.")
class CreateShipmentPayload:
    shipment: Shipment | None = strawberry.field(description="The shipment recorded, or null when refused.")
    logistic_order: LogisticOrder | None = strawberry.field(
        description="The logistic order after it (PARTIALLY_SHIPPED or SHIPPED), or null when refused."
    )
    errors: list[UserError]


@strawberry.type(description="The result of createReturn.")
class CreateReturnPayload:
    return_: Return | None = strawberry.field(name="return", description="The return recorded, or null when refused.")
    order: Order | None = strawberry.field(description="The order after it, or null when refused.")
    refund_transactions: list[PaymentTransaction] = strawberry.field(
        description="With refund: true, the refund's transactions (PENDING until the provider's callback); else empty."
    )
    errors: list[UserError]
