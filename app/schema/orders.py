"""Placed orders (frozen amounts), their lines, logistic orders and events; statuses; the order listing."""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import TYPE_CHECKING, Annotated, Any, cast

import strawberry
from sqlalchemy import Row

from app import models
from app.schema.catalog import Supplier, Variant
from app.schema.common import AppliedVoucher, Metadata, MetadataInput, Money, PageInfo, UserError, money_field
from app.schema.execution import answered_from
from app.schema.viewer import Address
from app.services.orders.listing import order_cursor
from app.services.orders.reads import LineRow
from app.services.pricing.steps import unit_after
from app.services.rules import states

if TYPE_CHECKING:
    from app.schema.checkout import Payment, ShippingMethod

# The service enums, exposed as they are: one definition of every status.
OrderStatus = strawberry.enum(states.OrderStatus, name="OrderStatus")
PaymentStatus = strawberry.enum(states.PaymentStatus, name="PaymentStatus")
LogisticOrderStatus = strawberry.enum(states.LogisticStatus, name="LogisticOrderStatus")


@strawberry.enum
class OrderSourceType(Enum):
    QUOTE = "QUOTE"
    OPERATION = "OPERATION"


@strawberry.type
class OrderSource:
    type: OrderSourceType
    id: strawberry.ID


def source_of(o: models.Order | Row) -> OrderSource | None:
    if not o.source_type or not o.source_id:
        return None
    return OrderSource(type=OrderSourceType(o.source_type), id=strawberry.ID(o.source_id))


async def address_of(info: strawberry.Info, address_id: str | None) -> Address | None:
    if not address_id:
        return None
    a = await info.context.loaders.address.load(address_id)
    return Address.of(a) if a else None


async def shipping_method_of(info: strawberry.Info, method_id: str | None) -> ShippingMethod | None:
    from app.schema.checkout import ShippingMethod

    if not method_id:
        return None
    found = await info.context.loaders.shipping_method.load(method_id)
    return ShippingMethod.of(found) if found else None


async def events_of(info: strawberry.Info, order_id: str) -> list[OrderEvent]:
    return [
        OrderEvent(
            type=e.type,
            at=e.at,
            actor=e.actor,
            detail=e.detail,
            logistic_order_id=strawberry.ID(e.logistic_order_id) if e.logistic_order_id else None,
        )
        for e in await info.context.loaders.events_by_order.load(order_id)
    ]


async def metadata_of(info: strawberry.Info, order_id: str) -> list[Metadata]:
    return [Metadata(key=m.key, value=m.value) for m in await info.context.loaders.metadata_by_order.load(order_id)]


@strawberry.interface(
    description="A line of a commercial order in any state: a DraftOrderLine (priced live) or an OrderLine (frozen)."
)
class CommercialOrderLine:
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
        ln = self.model
        return Money.of(unit_after(ln.total_amount, ln.quantity, ln.unit_amount), self.currency)

    @strawberry.field(description="Code of the promotion frozen with this line, if any.")
    def promotion(self) -> str | None:
        return self.model.promotion_code

    @classmethod
    def of(cls, ln: LineRow, currency: str) -> OrderLine:
        return cls(id=strawberry.ID(ln.id), quantity=ln.quantity, sku=ln.sku, model=ln, currency=currency)


@strawberry.type
class OrderEvent:
    type: str
    at: datetime
    actor: str | None
    detail: str | None
    logistic_order_id: strawberry.ID | None


@strawberry.type(description="The part of an order one supplier fulfils; carries the progress.")
class LogisticOrder:
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


@strawberry.interface(
    description="A commercial order in any state, as lists that mix states return it: a DraftOrder while it is a "
    "draft (DRAFT, DRAFT_ON_HOLD), an Order otherwise (PAYMENT_PENDING, PLACED, CANCELED). `__typename` always "
    "matches the state; select the state's own fields with `... on DraftOrder` / `... on Order`."
)
class CommercialOrder:
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
    logistic_orders: list[LogisticOrder]
    events: list[OrderEvent]
    shipping_address: Address | None
    billing_address: Address | None
    metadata: list[Metadata]
    shipping_method: Annotated[ShippingMethod, strawberry.lazy("app.schema.checkout")] | None
    payments: list[Annotated[Payment, strawberry.lazy("app.schema.checkout")]]
    source: OrderSource | None


def commercial_order(o: models.Order | Row, line_rows: list[LineRow] | None = None) -> CommercialOrder:
    """The type an order answers as in its state (`states.is_draft`): one entity, one type. `line_rows`: a
    placed order's lines, when the caller read them already."""
    if states.is_draft(o.status):
        from app.schema.drafts import DraftOrder

        return DraftOrder.of(o)
    return Order.of(o, line_rows)


def placed_order(o: models.Order | None) -> Order | None:
    """For fields typed `Order`: a draft is not an Order (look it up with `draftOrder`)."""
    return None if o is None or states.is_draft(o.status) else Order.of(o)


@strawberry.type(
    description="A commercial order past the draft: waiting for its payment (PAYMENT_PENDING), placed or "
    "canceled; prices frozen, lines locked; its logistic orders carry the progress."
)
class Order(CommercialOrder):
    id: strawberry.ID
    reference: str
    status: OrderStatus
    payment_status: PaymentStatus
    created_at: datetime
    updated_at: datetime
    placed_at: datetime | None
    customer_reference: str | None
    notes: str | None
    # Amounts built only when selected.
    subtotal: Money = money_field(lambda order: order.model.subtotal_amount)
    shipping_total: Money = money_field(lambda order: order.model.shipping_amount)
    tax_total: Money = money_field(lambda order: order.model.tax_amount)
    discount_total: Money = money_field(lambda order: order.model.discount_amount)
    total: Money = money_field(lambda order: order.model.total_amount)
    cancel_reason: str | None
    model: strawberry.Private[models.Order | Row]  # a listing's orders are plain column rows
    currency: strawberry.Private[str]

    # The lines, when the listing that produced this order read them with its page (`orders`).
    line_rows: strawberry.Private[list[LineRow] | None] = None

    def read_lines(self) -> list[OrderLine] | None:
        """The lines read with the page, if they were (None otherwise)."""
        if self.line_rows is None:
            return None
        return [OrderLine.of(row, self.model.currency) for row in self.line_rows]

    @strawberry.field
    @answered_from(lambda order: order.read_lines())
    def lines(self, info: strawberry.Info) -> list[OrderLine]:
        # A plain (not async) resolver: lines read with the page are answered at once (and by the execution
        # fast path, app/schema/execution.py), without a task per order; otherwise it hands graphql-core an
        # awaitable on the batched loader.
        lines = self.read_lines()
        if lines is not None:
            return lines
        return cast("list[OrderLine]", self._loaded_lines(info))

    async def _loaded_lines(self, info: strawberry.Info) -> list[OrderLine]:
        rows = await info.context.loaders.lines_by_order.load(self.model.id)
        return [OrderLine.of(row, self.model.currency) for row in rows]

    @strawberry.field(description="One per supplier.")
    async def logistic_orders(self, info: strawberry.Info) -> list[LogisticOrder]:
        return [LogisticOrder.of(lo) for lo in await info.context.loaders.logistic_by_order.load(self.model.id)]

    @strawberry.field
    async def events(self, info: strawberry.Info) -> list[OrderEvent]:
        return await events_of(info, self.model.id)

    @strawberry.field
    async def shipping_address(self, info: strawberry.Info) -> Address | None:
        return await address_of(info, self.model.shipping_address_id)

    @strawberry.field
    async def billing_address(self, info: strawberry.Info) -> Address | None:
        return await address_of(info, self.model.billing_address_id)

    @strawberry.field
    async def metadata(self, info: strawberry.Info) -> list[Metadata]:
        return await metadata_of(info, self.model.id)

    @strawberry.field(description="The shipping method it was placed with.")
    async def shipping_method(
        self, info: strawberry.Info
    ) -> Annotated[ShippingMethod, strawberry.lazy("app.schema.checkout")] | None:
        return await shipping_method_of(info, self.model.shipping_method_id)

    @strawberry.field(description="Its payment attempts, oldest first.")
    async def payments(self, info: strawberry.Info) -> list[Annotated[Payment, strawberry.lazy("app.schema.checkout")]]:
        from app.schema.checkout import payments_of

        return await payments_of(info, self.model.id)

    @strawberry.field
    def source(self) -> OrderSource | None:
        return source_of(self.model)

    @strawberry.field(description="The voucher frozen with the order and its discount.")
    async def voucher(self, info: strawberry.Info) -> AppliedVoucher | None:
        if not self.model.voucher_id:
            return None
        found = await info.context.loaders.voucher.load(self.model.voucher_id)
        code = found.code if found else "?"
        return AppliedVoucher(code=code, discount=Money.of(self.model.voucher_discount_amount, self.model.currency))

    @strawberry.field(description="Line discounts plus voucher discount (frozen with the order).")
    def amount_saved(self) -> Money:
        return Money.of(self.model.discount_amount, self.currency)

    @classmethod
    def of(cls, o: models.Order | Row, line_rows: list[LineRow] | None = None) -> Order:
        return cls(
            id=strawberry.ID(o.id),
            reference=o.reference,
            status=OrderStatus(o.status),
            payment_status=PaymentStatus(o.payment_status),
            created_at=o.created_at,
            updated_at=o.updated_at,
            placed_at=o.placed_at,
            customer_reference=o.customer_reference,
            notes=o.notes,
            cancel_reason=o.cancel_reason,
            model=o,
            currency=o.currency,
            line_rows=line_rows,
        )


# ---- connections, inputs and payloads ---------------------------------------------------------


@strawberry.input(description="AND across fields, OR within a list; unknown values are ignored.")
class OrderFilter:
    status: list[OrderStatus] | None = None
    placed: bool | None = None
    source_types: list[str] | None = strawberry.field(
        default=None, description="QUOTE or OPERATION; unknown values are ignored (SPEC 7), as in every filter."
    )
    source_ids: list[strawberry.ID] | None = None
    created_from: datetime | None = None
    created_to: datetime | None = None
    placed_from: datetime | None = None
    placed_to: datetime | None = None
    reference: str | None = strawberry.field(default=None, description="Case-insensitive part of the reference.")
    account_ids: list[strawberry.ID] | None = strawberry.field(
        default=None, description="A buyer may only name its own account; other ids are ignored."
    )
    metadata: list[MetadataInput] | None = None


@answered_from()
def _edge_cursor(root: Any) -> str:  # noqa: ANN401 - the OrderEdge being answered
    return order_cursor(root.order)


@strawberry.type
class OrderEdge:
    # Encoded only when asked for (a page of 20 rarely selects every cursor).
    cursor: str = strawberry.field(resolver=_edge_cursor)
    node: CommercialOrder
    order: strawberry.Private[models.Order]


@strawberry.type
class OrderConnection:
    edges: list[OrderEdge]
    page_info: PageInfo
    total_count: int


@strawberry.type
class LogisticOrderPayload:
    logistic_order: LogisticOrder | None
    errors: list[UserError]


@strawberry.type
class OrderPayload:
    order: Order | None
    errors: list[UserError]
