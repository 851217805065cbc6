from typing import Optional

from pydantic import Field

from .base_model import BaseModel
from .enums import ErrorCode


class SetAddresses(BaseModel):
    update_draft_order: "SetAddressesUpdateDraftOrder" = Field(alias="updateDraftOrder")


class SetAddressesUpdateDraftOrder(BaseModel):
    draft_order: Optional["SetAddressesUpdateDraftOrderDraftOrder"] = Field(
        alias="draftOrder"
    )
    errors: list["SetAddressesUpdateDraftOrderErrors"]


class SetAddressesUpdateDraftOrderDraftOrder(BaseModel):
    id: str
    version: int
    issues: list["SetAddressesUpdateDraftOrderDraftOrderIssues"]
    shipping_address: Optional[
        "SetAddressesUpdateDraftOrderDraftOrderShippingAddress"
    ] = Field(alias="shippingAddress")
    billing_address: Optional[
        "SetAddressesUpdateDraftOrderDraftOrderBillingAddress"
    ] = Field(alias="billingAddress")


class SetAddressesUpdateDraftOrderDraftOrderIssues(BaseModel):
    code: ErrorCode
    message: str
    blocking: bool


class SetAddressesUpdateDraftOrderDraftOrderShippingAddress(BaseModel):
    external_id: Optional[str] = Field(alias="externalId")


class SetAddressesUpdateDraftOrderDraftOrderBillingAddress(BaseModel):
    external_id: Optional[str] = Field(alias="externalId")


class SetAddressesUpdateDraftOrderErrors(BaseModel):
    code: ErrorCode
    message: str
    field: Optional[list[str]]


SetAddresses.model_rebuild()
SetAddressesUpdateDraftOrder.model_rebuild()
SetAddressesUpdateDraftOrderDraftOrder.model_rebuild()
