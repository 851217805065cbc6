from typing import Annotated, Literal, Optional, Union

from pydantic import Field

from .base_model import BaseModel
from .enums import ErrorCode, OrderStatus, PaymentStatus


class CheckoutCart(BaseModel):
    checkout_cart: "CheckoutCartCheckoutCart" = Field(alias="checkoutCart")


class CheckoutCartCheckoutCart(BaseModel):
    result: Optional[
        Annotated[
            Union[
                "CheckoutCartCheckoutCartResultRedirectPayment",
                "CheckoutCartCheckoutCartResultDirectPayment",
                "CheckoutCartCheckoutCartResultClientSecretPayment",
            ],
            Field(discriminator="typename__"),
        ]
    ]
    errors: list["CheckoutCartCheckoutCartErrors"]


class CheckoutCartCheckoutCartResultRedirectPayment(BaseModel):
    typename__: Literal["RedirectPayment"] = Field(alias="__typename")
    next_step: str = Field(alias="nextStep")
    order_key: str = Field(alias="orderKey")
    order: "CheckoutCartCheckoutCartResultRedirectPaymentOrder"


class CheckoutCartCheckoutCartResultRedirectPaymentOrder(BaseModel):
    typename__: Literal["CommercialOrder", "DraftOrder", "Order"] = Field(
        alias="__typename"
    )
    id: str
    status: OrderStatus
    payment_status: PaymentStatus = Field(alias="paymentStatus")


class CheckoutCartCheckoutCartResultDirectPayment(BaseModel):
    typename__: Literal["DirectPayment"] = Field(alias="__typename")
    order_key: str = Field(alias="orderKey")


class CheckoutCartCheckoutCartResultClientSecretPayment(BaseModel):
    typename__: Literal["ClientSecretPayment"] = Field(alias="__typename")


class CheckoutCartCheckoutCartErrors(BaseModel):
    code: ErrorCode
    message: str


CheckoutCart.model_rebuild()
CheckoutCartCheckoutCart.model_rebuild()
CheckoutCartCheckoutCartResultRedirectPayment.model_rebuild()
