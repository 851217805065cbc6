from decimal import Decimal
from typing import Optional

from pydantic import Field

from .base_model import BaseModel
from .enums import ErrorCode, OrderStatus


class CreateDraft(BaseModel):
    create_draft_order: "CreateDraftCreateDraftOrder" = Field(alias="createDraftOrder")


class CreateDraftCreateDraftOrder(BaseModel):
    draft_order: Optional["CreateDraftCreateDraftOrderDraftOrder"] = Field(
        alias="draftOrder"
    )
    errors: list["CreateDraftCreateDraftOrderErrors"]


class CreateDraftCreateDraftOrderDraftOrder(BaseModel):
    id: str
    version: int
    status: OrderStatus
    issues: list["CreateDraftCreateDraftOrderDraftOrderIssues"]
    total: "CreateDraftCreateDraftOrderDraftOrderTotal"


class CreateDraftCreateDraftOrderDraftOrderIssues(BaseModel):
    code: ErrorCode
    message: str
    blocking: bool
    line_id: Optional[str] = Field(alias="lineId")


class CreateDraftCreateDraftOrderDraftOrderTotal(BaseModel):
    amount: Decimal
    currency: str


class CreateDraftCreateDraftOrderErrors(BaseModel):
    code: ErrorCode
    message: str
    field: Optional[list[str]]
    index: Optional[int]


CreateDraft.model_rebuild()
CreateDraftCreateDraftOrder.model_rebuild()
CreateDraftCreateDraftOrderDraftOrder.model_rebuild()
