from datetime import datetime
from decimal import Decimal
from typing import Literal, Optional

from pydantic import Field

from .base_model import BaseModel
from .enums import OrderStatus


class MyOrders(BaseModel):
    orders: "MyOrdersOrders"


class MyOrdersOrders(BaseModel):
    total_count: int = Field(alias="totalCount")
    edges: list["MyOrdersOrdersEdges"]


class MyOrdersOrdersEdges(BaseModel):
    node: "MyOrdersOrdersEdgesNode"


class MyOrdersOrdersEdgesNode(BaseModel):
    typename__: Literal["CommercialOrder", "DraftOrder", "Order"] = Field(
        alias="__typename"
    )
    id: str
    reference: str
    status: OrderStatus
    placed_at: Optional[datetime] = Field(alias="placedAt")
    total: "MyOrdersOrdersEdgesNodeTotal"


class MyOrdersOrdersEdgesNodeTotal(BaseModel):
    amount: Decimal
    currency: str


MyOrders.model_rebuild()
MyOrdersOrders.model_rebuild()
MyOrdersOrdersEdges.model_rebuild()
MyOrdersOrdersEdgesNode.model_rebuild()
