from decimal import Decimal
from typing import Optional

from pydantic import Field

from .base_model import BaseModel
from .enums import ErrorCode, OrderSourceType, OrderStatus


class DraftFromQuote(BaseModel):
    create_draft_order_from_quote: "DraftFromQuoteCreateDraftOrderFromQuote" = Field(
        alias="createDraftOrderFromQuote"
    )


class DraftFromQuoteCreateDraftOrderFromQuote(BaseModel):
    draft_order: Optional["DraftFromQuoteCreateDraftOrderFromQuoteDraftOrder"] = Field(
        alias="draftOrder"
    )
    errors: list["DraftFromQuoteCreateDraftOrderFromQuoteErrors"]
    warnings: list["DraftFromQuoteCreateDraftOrderFromQuoteWarnings"]


class DraftFromQuoteCreateDraftOrderFromQuoteDraftOrder(BaseModel):
    id: str
    status: OrderStatus
    source: Optional["DraftFromQuoteCreateDraftOrderFromQuoteDraftOrderSource"]
    lines: list["DraftFromQuoteCreateDraftOrderFromQuoteDraftOrderLines"]
    total: "DraftFromQuoteCreateDraftOrderFromQuoteDraftOrderTotal"


class DraftFromQuoteCreateDraftOrderFromQuoteDraftOrderSource(BaseModel):
    type_: OrderSourceType = Field(alias="type")
    id: str


class DraftFromQuoteCreateDraftOrderFromQuoteDraftOrderLines(BaseModel):
    sku: Optional[str]
    quantity: int
    unit_price: "DraftFromQuoteCreateDraftOrderFromQuoteDraftOrderLinesUnitPrice" = (
        Field(alias="unitPrice")
    )


class DraftFromQuoteCreateDraftOrderFromQuoteDraftOrderLinesUnitPrice(BaseModel):
    amount: Decimal


class DraftFromQuoteCreateDraftOrderFromQuoteDraftOrderTotal(BaseModel):
    amount: Decimal
    currency: str


class DraftFromQuoteCreateDraftOrderFromQuoteErrors(BaseModel):
    code: ErrorCode
    message: str


class DraftFromQuoteCreateDraftOrderFromQuoteWarnings(BaseModel):
    code: ErrorCode
    message: str


DraftFromQuote.model_rebuild()
DraftFromQuoteCreateDraftOrderFromQuote.model_rebuild()
DraftFromQuoteCreateDraftOrderFromQuoteDraftOrder.model_rebuild()
DraftFromQuoteCreateDraftOrderFromQuoteDraftOrderLines.model_rebuild()
