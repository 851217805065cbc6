"""Placed orders (frozen amounts); the type an order answers as in its state; the order listing and payloads.

The interface, lines, logistic orders and statuses live in app/schema/order_parts.py (shared with drafts).
"""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import Any, cast

import strawberry
from sqlalchemy import Row

from app import models
from app.models import utcnow
from app.schema.common import AppliedVoucher, MetadataInput, Money, PageInfo, SortDirection, UserError, money_field
from app.schema.drafts import DraftOrder
from app.schema.execution import answered_from
from app.schema.order_parts import (
    CommercialOrder,
    LogisticOrder,
    OrderLine,
    OrderSourceType,
    OrderStatus,
    PaymentStatus,
    logistic_orders_of,
    shipping_method_of,
)
from app.schema.payments import PaymentTransaction
from app.schema.shipping_parts import Return, Shipment
from app.services.orders.listing import order_cursor, overdue
from app.services.orders.reads import LineRow
from app.services.orders.views import frozen_voucher
from app.services.payments import ledger
from app.services.rules import states


def commercial_order(o: models.Order | Row, line_rows: list[LineRow] | None = None) -> CommercialOrder:
    """The type an order answers as in its state (`states.is_draft`): one entity, one type. `line_rows`: a
    placed order's lines, when the caller read them already."""
    if states.is_draft(o.status):
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
    # Amounts built only when selected.
    subtotal: Money = money_field(lambda order: order.model.subtotal_amount)
    shipping_total: Money = money_field(lambda order: order.model.shipping_amount)
    tax_total: Money = money_field(lambda order: order.model.tax_amount)
    discount_total: Money = money_field(lambda order: order.model.discount_amount)
    total: Money = money_field(lambda order: order.model.total_amount)
    cancel_reason: str | None
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

    # The other shared fields are CommercialOrder's; these two are described in the words of a placed order.
    logistic_orders = strawberry.field(resolver=logistic_orders_of, description="One per supplier.")
    shipping_method = strawberry.field(
        resolver=shipping_method_of, description="The shipping method it was placed with."
    )

    @strawberry.field(description="The voucher frozen with the order and its discount.")
    async def voucher(self, info: strawberry.Info) -> AppliedVoucher | None:
        if not self.model.voucher_id:
            return None
        applied = frozen_voucher(self.model, await info.context.loaders.voucher.load(self.model.voucher_id))
        if applied is None:
            return None
        return AppliedVoucher(code=applied.code, discount=Money.of(applied.discount, self.currency))

    @strawberry.field(
        description="Line discounts plus order-level discounts (promotion and voucher): discountTotal, frozen."
    )
    def amount_saved(self) -> Money:
        return Money.of(self.model.discount_amount, self.currency)

    # ---- the payment ledger (services/payments/ledger.py): sums of `transactions`, never stored -------------

    async def _balance(self, info: strawberry.Info) -> ledger.Balance:
        return await info.context.loaders.balance_by_order.load(self.model.id)

    @strawberry.field(description="Ever held for the order: succeeded authorizations and received payments.")
    async def authorized_amount(self, info: strawberry.Info) -> Money:
        return Money.of((await self._balance(info)).authorized, self.currency)

    @strawberry.field(description="Taken: succeeded captures and received payments (refunds not deducted).")
    async def captured_amount(self, info: strawberry.Info) -> Money:
        return Money.of((await self._balance(info)).captured, self.currency)

    @strawberry.field(description="Given back: succeeded refunds (pending ones are in `transactions`).")
    async def refunded_amount(self, info: strawberry.Info) -> Money:
        return Money.of((await self._balance(info)).refunded, self.currency)

    @strawberry.field(
        description="Still to be collected: what the live part of the order costs (its total less canceled "
        "shares) minus what was captured. An authorization counts once it is captured."
    )
    async def outstanding_amount(self, info: strawberry.Info) -> Money:
        return Money.of(ledger.outstanding(self.model, await self._balance(info)), self.currency)

    @strawberry.field(
        description="When the order is due under the account's payment terms (placed with a DIRECT method by an "
        "account with terms; docs/b2b.md); null otherwise."
    )
    def payment_due_at(self) -> datetime | None:
        return self.model.payment_due_at

    @strawberry.field(description="Due (paymentDueAt) and past, still not paid in full, not canceled.")
    def overdue(self) -> bool:
        return overdue(self.model, utcnow())

    @strawberry.field(description="What cancellations took off the total (a canceled logistic order's share, or all).")
    def canceled_amount(self) -> Money:
        return Money.of(self.model.canceled_amount, self.currency)

    @strawberry.field(description="The order's payment ledger, oldest first.")
    async def transactions(self, info: strawberry.Info) -> list[PaymentTransaction]:
        rows = await info.context.loaders.transactions_by_order.load(self.model.id)
        return [PaymentTransaction.of(t) for t in rows]

    @strawberry.field(description="What left the warehouse: the shipments of its logistic orders, oldest first.")
    async def shipments(self, info: strawberry.Info) -> list[Shipment]:
        return [Shipment.of(v) for v in await info.context.loaders.shipments_by_order.load(self.model.id)]

    @strawberry.field(description="Shipped units that came back (createReturn), oldest first.")
    async def returns(self, info: strawberry.Info) -> list[Return]:
        return [Return.of(v) for v in await info.context.loaders.returns_by_order.load(self.model.id)]

    @classmethod
    def of(cls, o: models.Order | Row, line_rows: list[LineRow] | None = None) -> Order:
        return cls.of_row(
            o,
            payment_status=PaymentStatus(o.payment_status),
            placed_at=o.placed_at,
            cancel_reason=o.cancel_reason,
            currency=o.currency,
            line_rows=line_rows,
        )


# ---- connections, inputs and payloads ---------------------------------------------------------


@strawberry.input(
    description="AND across fields, OR within a list. An enum value outside its enum is a validation error; an id "
    "that names nothing matches nothing."
)
class OrderFilter:
    status: list[OrderStatus] | None = None
    placed: bool | None = None
    # An enum, not strings: a value that is no source type is a validation error, not a filter that
    # silently matches every order.
    source_types: list[OrderSourceType] | None = strawberry.field(
        default=None, description="Any of these source kinds; a value outside OrderSourceType is a validation error."
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
    overdue: bool | None = strawberry.field(
        default=None,
        description="true: placed orders due under payment terms (paymentDueAt) and past due, not paid in full; "
        "false: every other order (docs/b2b.md).",
    )


@strawberry.enum(description="What orders(orderBy:) sorts by.")
class OrderSortField(Enum):
    CREATED_AT = "createdAt"
    PLACED_AT = "placedAt"
    UPDATED_AT = "updatedAt"
    REFERENCE = "reference"
    SOURCE_TYPE = "sourceType"
    TOTAL_AMOUNT = "totalAmount"


@strawberry.input(description="One sort key of orders(orderBy:).")
class OrderSort:
    field: OrderSortField = strawberry.field(description="The key.")
    direction: SortDirection = strawberry.field(default=SortDirection.ASC, description="Its direction (default ASC).")


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
