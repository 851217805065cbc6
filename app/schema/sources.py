"""Quotes and operations: the start sources of a draft."""

from __future__ import annotations

from datetime import datetime
from enum import Enum

import strawberry

from app import models
from app.models import utcnow
from app.schema.catalog import Offer, Variant
from app.schema.common import Money, Node, PageInfo, UserError
from app.schema.scalars import DecimalText
from app.services.rules import source_states
from app.services.sources.operations import effective_operation_status
from app.services.sources.quotes import effective_quote_status

QuoteStatus = strawberry.enum(source_states.QuoteStatus, name="QuoteStatus")


@strawberry.enum
class OperationType(Enum):
    PUBLIC = "PUBLIC"
    PRIVATE = "PRIVATE"


OperationStatus = strawberry.enum(source_states.OperationStatus, name="OperationStatus")


@strawberry.type
class QuoteLine(Node):
    id: strawberry.ID
    quantity: int
    unit_price: Money
    model: strawberry.Private[models.QuoteLine]

    @strawberry.field
    async def offer(self, info: strawberry.Info) -> Offer:
        # Without a price for the viewer any more, the offer shows the quote's agreed price (available false).
        return Offer.of(await info.context.loaders.offer.load(self.model.offer_id), fallback_price=self.unit_price)

    @strawberry.field
    async def variant(self, info: strawberry.Info) -> Variant:
        offer = await info.context.loaders.offer.load(self.model.offer_id)
        return Variant.of(await info.context.loaders.variant.load(offer.variant_id))

    @classmethod
    def of(cls, ln: models.QuoteLine, currency: str) -> QuoteLine:
        return cls(
            id=strawberry.ID(ln.id), quantity=ln.quantity, unit_price=Money.of(ln.unit_amount, currency), model=ln
        )


@strawberry.type
class Quote(Node):
    id: strawberry.ID
    external_id: str | None
    name: str | None
    status: QuoteStatus = strawberry.field(description="EXPIRED once past expiresAt, whatever was stored.")
    expires_at: datetime | None
    created_at: datetime
    model: strawberry.Private[models.Quote]

    @strawberry.field
    async def lines(self, info: strawberry.Info) -> list[QuoteLine]:
        rows = await info.context.loaders.quote_lines.load(self.model.id)
        return [QuoteLine.of(ln, self.model.currency) for ln in rows]

    @classmethod
    def of(cls, q: models.Quote) -> Quote:
        return cls(
            id=strawberry.ID(q.id),
            external_id=q.external_id,
            name=q.name,
            status=QuoteStatus(effective_quote_status(q, utcnow())),
            expires_at=q.expires_at,
            created_at=q.created_at,
            model=q,
        )


@strawberry.type
class OperationLine(Node):
    id: strawberry.ID
    min_quantity: int | None
    max_quantity: int | None
    recommended_quantity: int | None
    variant: Variant

    @classmethod
    def of(cls, ln: models.OperationLine, variant: models.Variant) -> OperationLine:
        return cls(
            id=strawberry.ID(ln.id),
            min_quantity=ln.min_quantity,
            max_quantity=ln.max_quantity,
            recommended_quantity=ln.recommended_quantity,
            variant=Variant.of(variant),
        )


@strawberry.type
class Operation(Node):
    id: strawberry.ID
    external_id: str | None
    name: str
    type: OperationType
    status: OperationStatus = strawberry.field(description="An ACTIVE operation past endsAt reads INACTIVE.")
    starts_at: datetime
    ends_at: datetime | None
    model: strawberry.Private[models.Operation]

    @strawberry.field(description="For a buyer, only the lines whose product it can see.")
    async def lines(self, info: strawberry.Info) -> list[OperationLine]:
        rows = await info.context.loaders.operation_lines.load(self.model.id)
        return [OperationLine.of(ln, v) for ln, v in rows]

    @classmethod
    def of(cls, o: models.Operation) -> Operation:
        return cls(
            id=strawberry.ID(o.id),
            external_id=o.external_id,
            name=o.name,
            type=OperationType(o.type),
            status=OperationStatus(effective_operation_status(o, utcnow())),
            starts_at=o.starts_at,
            ends_at=o.ends_at,
            model=o,
        )


@strawberry.type
class QuoteEdge:
    cursor: str
    node: Quote


@strawberry.type
class QuoteConnection:
    edges: list[QuoteEdge]
    page_info: PageInfo
    total_count: int


@strawberry.type
class OperationEdge:
    cursor: str
    node: Operation


@strawberry.type
class OperationConnection:
    edges: list[OperationEdge]
    page_info: PageInfo
    total_count: int


@strawberry.input
class QuoteLineInput:
    offer_id: strawberry.ID
    quantity: int
    unit_price: DecimalText = strawberry.field(
        description='The agreed net unit price, e.g. "2.50"; a malformed or out-of-range amount is that line\'s '
        "INVALID_INPUT."
    )


@strawberry.input
class CreateQuoteInput:
    account_id: strawberry.ID
    name: str | None = None
    expires_at: datetime | None = None
    lines: list[QuoteLineInput]


@strawberry.input
class OperationLineInput:
    variant_id: strawberry.ID
    min_quantity: int | None = None
    max_quantity: int | None = None
    recommended_quantity: int | None = None


@strawberry.input
class CreateOperationInput:
    name: str
    type: OperationType = OperationType.PUBLIC
    starts_at: datetime
    ends_at: datetime | None = None
    lines: list[OperationLineInput]
    account_ids: list[strawberry.ID] | None = None


@strawberry.input
class UpdateOperationInput:
    name: str | None = None
    lines: list[OperationLineInput] | None = None
    account_ids: list[strawberry.ID] | None = None


@strawberry.type
class QuotePayload:
    quote: Quote | None
    errors: list[UserError]


@strawberry.type
class OperationPayload:
    operation: Operation | None
    errors: list[UserError]


@strawberry.type
class DeleteOperationPayload:
    deleted_id: strawberry.ID | None
    errors: list[UserError]
