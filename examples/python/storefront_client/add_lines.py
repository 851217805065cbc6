from decimal import Decimal
from typing import Optional

from pydantic import Field

from .base_model import BaseModel
from .enums import ErrorCode


class AddLines(BaseModel):
    add_draft_order_lines: "AddLinesAddDraftOrderLines" = Field(
        alias="addDraftOrderLines"
    )


class AddLinesAddDraftOrderLines(BaseModel):
    draft_order: Optional["AddLinesAddDraftOrderLinesDraftOrder"] = Field(
        alias="draftOrder"
    )
    errors: list["AddLinesAddDraftOrderLinesErrors"]
    warnings: list["AddLinesAddDraftOrderLinesWarnings"]


class AddLinesAddDraftOrderLinesDraftOrder(BaseModel):
    id: str
    version: int
    lines: list["AddLinesAddDraftOrderLinesDraftOrderLines"]
    issues: list["AddLinesAddDraftOrderLinesDraftOrderIssues"]
    total: "AddLinesAddDraftOrderLinesDraftOrderTotal"


class AddLinesAddDraftOrderLinesDraftOrderLines(BaseModel):
    id: str
    sku: Optional[str]
    quantity: int
    unit_price: "AddLinesAddDraftOrderLinesDraftOrderLinesUnitPrice" = Field(
        alias="unitPrice"
    )


class AddLinesAddDraftOrderLinesDraftOrderLinesUnitPrice(BaseModel):
    amount: Decimal


class AddLinesAddDraftOrderLinesDraftOrderIssues(BaseModel):
    code: ErrorCode
    message: str
    blocking: bool


class AddLinesAddDraftOrderLinesDraftOrderTotal(BaseModel):
    amount: Decimal
    currency: str


class AddLinesAddDraftOrderLinesErrors(BaseModel):
    code: ErrorCode
    message: str
    field: Optional[list[str]]
    index: Optional[int]


class AddLinesAddDraftOrderLinesWarnings(BaseModel):
    code: ErrorCode
    message: str


AddLines.model_rebuild()
AddLinesAddDraftOrderLines.model_rebuild()
AddLinesAddDraftOrderLinesDraftOrder.model_rebuild()
AddLinesAddDraftOrderLinesDraftOrderLines.model_rebuild()
