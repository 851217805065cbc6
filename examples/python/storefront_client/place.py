from datetime import datetime
from decimal import Decimal
from typing import Literal, Optional

from pydantic import Field

from .base_model import BaseModel
from .enums import ErrorCode, LogisticOrderStatus, OrderStatus


class Place(BaseModel):
    place_draft_order: "PlacePlaceDraftOrder" = Field(alias="placeDraftOrder")


class PlacePlaceDraftOrder(BaseModel):
    order: Optional["PlacePlaceDraftOrderOrder"]
    next_step: Optional[str] = Field(alias="nextStep")
    errors: list["PlacePlaceDraftOrderErrors"]


class PlacePlaceDraftOrderOrder(BaseModel):
    typename__: Literal["CommercialOrder", "DraftOrder", "Order"] = Field(
        alias="__typename"
    )
    id: str
    reference: str
    status: OrderStatus
    placed_at: Optional[datetime] = Field(alias="placedAt")
    total: "PlacePlaceDraftOrderOrderTotal"
    logistic_orders: list["PlacePlaceDraftOrderOrderLogisticOrders"] = Field(
        alias="logisticOrders"
    )


class PlacePlaceDraftOrderOrderTotal(BaseModel):
    amount: Decimal
    currency: str


class PlacePlaceDraftOrderOrderLogisticOrders(BaseModel):
    reference: str
    status: LogisticOrderStatus
    supplier: "PlacePlaceDraftOrderOrderLogisticOrdersSupplier"


class PlacePlaceDraftOrderOrderLogisticOrdersSupplier(BaseModel):
    name: str


class PlacePlaceDraftOrderErrors(BaseModel):
    code: ErrorCode
    message: str


Place.model_rebuild()
PlacePlaceDraftOrder.model_rebuild()
PlacePlaceDraftOrderOrder.model_rebuild()
PlacePlaceDraftOrderOrderLogisticOrders.model_rebuild()
