from typing import Optional

from pydantic import Field

from .base_model import BaseModel
from .enums import OrderStatus, PaymentStatus


class OrderPayment(BaseModel):
    order: Optional["OrderPaymentOrder"]


class OrderPaymentOrder(BaseModel):
    status: OrderStatus
    payment_status: PaymentStatus = Field(alias="paymentStatus")


OrderPayment.model_rebuild()
