"""Shipments and returns as orders show them. A leaf module: app/schema/order_parts.py and app/schema/orders.py
import it (LogisticOrder.shipments, Order.shipments, Order.returns), so it imports neither; the mutations'
inputs and payloads are in app/schema/shipping.py."""

from __future__ import annotations

from datetime import datetime

import strawberry

from app.schema.common import Node
from app.services.shipping.views import PartLine, ReturnView, ShipmentView


@strawberry.type(description="Units of one order line in a shipment.")
class ShipmentLine:
    line_id: strawberry.ID = strawberry.field(description="The order line (Order.lines, LogisticOrder.lines).")
    sku: str
    quantity: int = strawberry.field(description="Units shipped in this shipment.")

    @classmethod
    def of(cls, ln: PartLine) -> ShipmentLine:
        return cls(line_id=strawberry.ID(ln.order_line_id), sku=ln.sku, quantity=ln.quantity)


@strawberry.type(
    description="A parcel of one logistic order: what left the warehouse, by which carrier, with its tracking "
    "number (createShipment)."
)
class Shipment(Node):
    id: strawberry.ID
    logistic_order_id: strawberry.ID = strawberry.field(description="The logistic order it ships.")
    carrier: str = strawberry.field(description="Who carries it, as the operator named it.")
    tracking_number: str | None = strawberry.field(description="The carrier's tracking number, if given.")
    created_at: datetime = strawberry.field(description="When it was recorded.")
    lines: list[ShipmentLine] = strawberry.field(description="What it holds: order lines and units.")

    @classmethod
    def of(cls, v: ShipmentView) -> Shipment:
        s = v.shipment
        return cls(
            id=strawberry.ID(s.id),
            logistic_order_id=strawberry.ID(s.logistic_order_id),
            carrier=s.carrier,
            tracking_number=s.tracking_number,
            created_at=s.created_at,
            lines=[ShipmentLine.of(ln) for ln in v.lines],
        )


@strawberry.type(description="Units of one order line that came back.")
class ReturnLine:
    line_id: strawberry.ID = strawberry.field(description="The order line (Order.lines).")
    sku: str
    quantity: int = strawberry.field(description="Units returned in this return.")
    restock: bool = strawberry.field(description="Whether these units went back to the offer's stock.")

    @classmethod
    def of(cls, ln: PartLine) -> ReturnLine:
        return cls(line_id=strawberry.ID(ln.order_line_id), sku=ln.sku, quantity=ln.quantity, restock=bool(ln.restock))


@strawberry.type(description="Shipped units of one logistic order that came back from the buyer (createReturn).")
class Return(Node):
    id: strawberry.ID
    logistic_order_id: strawberry.ID = strawberry.field(description="The logistic order that shipped them.")
    reason: str | None = strawberry.field(description="Why, as the operator recorded it.")
    created_at: datetime = strawberry.field(description="When it was recorded.")
    lines: list[ReturnLine] = strawberry.field(description="What came back: order lines, units, restock.")

    @classmethod
    def of(cls, v: ReturnView) -> Return:
        r = v.ret
        return cls(
            id=strawberry.ID(r.id),
            logistic_order_id=strawberry.ID(r.logistic_order_id),
            reason=r.reason,
            created_at=r.created_at,
            lines=[ReturnLine.of(ln) for ln in v.lines],
        )
