"""The commercial order's interface and its parts: statuses, lines, logistic orders, events, the source.

`CommercialOrder` carries the field resolvers its two states share (a DraftOrder and an Order both read them
from the order's row, `model`), written once here and inherited by both types. This module imports neither
app/schema/orders.py nor app/schema/drafts.py: both import it, and orders.py imports drafts.py, in that one
direction.
"""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import Any, Self

import strawberry
from sqlalchemy import Row

from app import models
from app.schema.approval_parts import PartApproval
from app.schema.catalog import Supplier, Variant
from app.schema.common import Metadata, Money, Node, money_field
from app.schema.payments import Payment, ShippingMethod
from app.schema.shipping_parts import Shipment
from app.schema.viewer import Address
from app.services.orders.reads import LineRow
from app.services.orders.views import unit_price_after_discount
from app.services.rules import states

# The service enums, exposed as they are: one definition of every status.
OrderStatus = strawberry.enum(states.OrderStatus, name="OrderStatus")
PaymentStatus = strawberry.enum(states.PaymentStatus, name="PaymentStatus")
LogisticOrderStatus = strawberry.enum(states.LogisticStatus, name="LogisticOrderStatus")


@strawberry.enum
class OrderSourceType(Enum):
    QUOTE = "QUOTE"
    OPERATION = "OPERATION"
    ORDER = "ORDER"
    REQUISITION_LIST = "REQUISITION_LIST"


@strawberry.type
class OrderSource:
    type: OrderSourceType
    id: strawberry.ID


@strawberry.interface(
    description="A line of a commercial order in any state: a DraftOrderLine (priced live) or an OrderLine (frozen)."
)
class CommercialOrderLine(Node):
    id: strawberry.ID
    quantity: int
    unit_price: Money
    discount: Money
    tax: Money
    total: Money
    variant: Variant
    sku: str | None


@strawberry.type(description="A placed line: prices frozen at placement.")
class OrderLine(CommercialOrderLine):
    id: strawberry.ID
    quantity: int
    # Amounts built only when selected.
    unit_price: Money = money_field(lambda line: line.model.unit_amount)
    discount: Money = money_field(lambda line: line.model.discount_amount)
    tax: Money = money_field(lambda line: line.model.tax_amount)
    total: Money = money_field(lambda line: line.model.total_amount)
    sku: str
    model: strawberry.Private[LineRow]
    currency: strawberry.Private[str]

    @strawberry.field
    async def variant(self, info: strawberry.Info) -> Variant:
        return Variant.of(await info.context.loaders.variant.load(self.model.variant_id))

    @strawberry.field
    async def supplier(self, info: strawberry.Info) -> Supplier:
        return Supplier.of(await info.context.loaders.supplier.load(self.model.supplier_id))

    @strawberry.field(description="The unit price before any promotion (same as unitPrice).")
    def original_unit_price(self) -> Money:
        return Money.of(self.model.unit_amount, self.currency)

    @strawberry.field(description="The unit price after the line's promotion: total / quantity, half up.")
    def unit_price_after_discount(self) -> Money:
        return Money.of(unit_price_after_discount(self.model), self.currency)

    @strawberry.field(description="Code of the promotion frozen with this line, if any.")
    def promotion(self) -> str | None:
        return self.model.promotion_code

    @strawberry.field(description="Units shipped so far (the order's shipments).")
    async def shipped_quantity(self, info: strawberry.Info) -> int:
        return (await info.context.loaders.line_progress.load(self.model.id)).shipped

    @strawberry.field(description="Units returned so far (the order's returns); at most shippedQuantity.")
    async def returned_quantity(self, info: strawberry.Info) -> int:
        return (await info.context.loaders.line_progress.load(self.model.id)).returned

    @classmethod
    def of(cls, ln: LineRow, currency: str) -> OrderLine:
        return cls(id=strawberry.ID(ln.id), quantity=ln.quantity, sku=ln.sku, model=ln, currency=currency)


@strawberry.type
class OrderEvent(Node):
    type: str
    at: datetime
    actor: str | None
    detail: str | None
    logistic_order_id: strawberry.ID | None

    @classmethod
    def of(cls, e: models.OrderEvent) -> OrderEvent:
        return cls(
            id=strawberry.ID(e.id),
            type=e.type,
            at=e.at,
            actor=e.actor,
            detail=e.detail,
            logistic_order_id=strawberry.ID(e.logistic_order_id) if e.logistic_order_id else None,
        )


@strawberry.type(description="The part of an order one supplier fulfils; carries the progress.")
class LogisticOrder(Node):
    id: strawberry.ID
    reference: str
    status: LogisticOrderStatus
    payment_status: PaymentStatus
    incident: bool
    total: Money
    model: strawberry.Private[models.LogisticOrder]

    @strawberry.field
    async def supplier(self, info: strawberry.Info) -> Supplier:
        return Supplier.of(await info.context.loaders.supplier.load(self.model.supplier_id))

    @strawberry.field(description="The states an operator may move it to now.")
    def next_statuses(self) -> list[LogisticOrderStatus]:
        return list(states.next_logistic_statuses(self.model.status))

    @strawberry.field
    async def lines(self, info: strawberry.Info) -> list[OrderLine]:
        rows = await info.context.loaders.lines_by_logistic_order.load(self.model.id)
        return [OrderLine.of(ln, self.model.currency) for ln in rows]

    @strawberry.field(description="What left the warehouse for it (createShipment), oldest first.")
    async def shipments(self, info: strawberry.Info) -> list[Shipment]:
        return [Shipment.of(v) for v in await info.context.loaders.shipments_by_logistic_order.load(self.model.id)]

    @classmethod
    def of(cls, lo: models.LogisticOrder) -> LogisticOrder:
        return cls(
            id=strawberry.ID(lo.id),
            reference=lo.reference,
            status=LogisticOrderStatus(lo.status),
            payment_status=PaymentStatus(lo.payment_status),
            incident=lo.incident,
            total=Money.of(lo.total_amount, lo.currency),
            model=lo,
        )


async def logistic_orders_of(root: CommercialOrder, info: strawberry.Info) -> list[LogisticOrder]:
    """A resolver rather than a method: DraftOrder and Order each describe the field in their own words."""
    return [LogisticOrder.of(lo) for lo in await info.context.loaders.logistic_by_order.load(root.model.id)]


async def shipping_method_of(root: CommercialOrder, info: strawberry.Info) -> ShippingMethod | None:
    """A resolver rather than a method: Order describes the field in its own words."""
    if not root.model.shipping_method_id:
        return None
    found = await info.context.loaders.shipping_method.load(root.model.shipping_method_id)
    return ShippingMethod.of(found) if found else None


async def _address(info: strawberry.Info, address_id: str | None) -> Address | None:
    if not address_id:
        return None
    a = await info.context.loaders.address.load(address_id)
    return Address.of(a) if a else None


@strawberry.interface(
    description="A commercial order in any state, as lists that mix states return it: a DraftOrder while it is a "
    "draft (DRAFT, DRAFT_ON_HOLD), an Order otherwise (PAYMENT_PENDING, PLACED, CANCELED). `__typename` always "
    "matches the state; select the state's own fields with `... on DraftOrder` / `... on Order`."
)
class CommercialOrder(Node):
    id: strawberry.ID
    reference: str
    status: OrderStatus
    payment_status: PaymentStatus
    created_at: datetime
    updated_at: datetime
    placed_at: datetime | None
    customer_reference: str | None
    notes: str | None
    subtotal: Money
    shipping_total: Money
    tax_total: Money
    discount_total: Money
    total: Money
    lines: list[CommercialOrderLine]
    model: strawberry.Private[models.Order | Row]  # a listing's orders are plain column rows

    # The fields both states answer alike, from the order's row: written once, inherited by DraftOrder and
    # Order. Fields without an annotation take their place in the schema in the order written here.
    logistic_orders = strawberry.field(resolver=logistic_orders_of)

    @strawberry.field(description="The cost centre whose budget the order is charged to (docs/b2b.md).")
    def cost_centre(self) -> str | None:
        return self.model.cost_centre

    @strawberry.field(
        description="The approvals of its supplier parts (requestApproval), every request's, oldest first "
        "(docs/b2b.md). An approved part placed on its own shows its approval on the order it became."
    )
    async def approvals(self, info: strawberry.Info) -> list[PartApproval]:
        rows = await info.context.loaders.approvals_by_order.load(self.model.id)
        return [PartApproval.of(a, self.model.currency) for a in rows]

    @strawberry.field
    async def events(self, info: strawberry.Info) -> list[OrderEvent]:
        return [OrderEvent.of(e) for e in await info.context.loaders.events_by_order.load(self.model.id)]

    @strawberry.field
    async def shipping_address(self, info: strawberry.Info) -> Address | None:
        return await _address(info, self.model.shipping_address_id)

    @strawberry.field
    async def billing_address(self, info: strawberry.Info) -> Address | None:
        return await _address(info, self.model.billing_address_id)

    @strawberry.field
    async def metadata(self, info: strawberry.Info) -> list[Metadata]:
        rows = await info.context.loaders.metadata_by_order.load(self.model.id)
        return [Metadata(key=m.key, value=m.value) for m in rows]

    shipping_method = strawberry.field(resolver=shipping_method_of)

    @strawberry.field
    async def payments(self, info: strawberry.Info) -> list[Payment]:
        return [Payment.of(p) for p in await info.context.loaders.payments_by_order.load(self.model.id)]

    @strawberry.field
    def source(self) -> OrderSource | None:
        o = self.model
        if not o.source_type or not o.source_id:
            return None
        return OrderSource(type=OrderSourceType(o.source_type), id=strawberry.ID(o.source_id))

    @classmethod
    def of_row(cls, o: models.Order | Row, **own: Any) -> Self:  # noqa: ANN401 - the state's own fields
        """The state's type built from the order's row: the fields every state reads alike, plus `own`."""
        return cls(
            id=strawberry.ID(o.id),
            reference=o.reference,
            status=OrderStatus(o.status),
            created_at=o.created_at,
            updated_at=o.updated_at,
            customer_reference=o.customer_reference,
            notes=o.notes,
            model=o,
            **own,
        )
