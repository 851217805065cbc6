from datetime import datetime
from typing import Optional

from pydantic import Field

from .base_model import BaseModel
from .enums import OperationType, OrderStatus, WebhookEventType


class CreateDraftOrderInput(BaseModel):
    shipping_address_id: Optional[str] = Field(alias="shippingAddressId", default=None)
    billing_address_id: Optional[str] = Field(alias="billingAddressId", default=None)
    shipping_type: Optional[str] = Field(alias="shippingType", default=None)
    customer_reference: Optional[str] = Field(alias="customerReference", default=None)
    notes: Optional[str] = None
    metadata: Optional[list["MetadataInput"]] = None
    lines: Optional[list["DraftOrderLineInput"]] = None
    idempotency_key: Optional[str] = Field(alias="idempotencyKey", default=None)
    "Same key and same input: the first draft again; another input: IDEMPOTENCY_KEY_REUSED."


class CreateOperationInput(BaseModel):
    name: str
    type_: OperationType = Field(alias="type", default=OperationType.PUBLIC)
    starts_at: datetime = Field(alias="startsAt")
    ends_at: Optional[datetime] = Field(alias="endsAt", default=None)
    lines: list["OperationLineInput"]
    account_ids: Optional[list[str]] = Field(alias="accountIds", default=None)


class CreateQuoteInput(BaseModel):
    account_id: str = Field(alias="accountId")
    name: Optional[str] = None
    expires_at: Optional[datetime] = Field(alias="expiresAt", default=None)
    lines: list["QuoteLineInput"]


class CreateWebhookSubscriptionInput(BaseModel):
    url: str
    event_types: list[WebhookEventType] = Field(alias="eventTypes")
    description: Optional[str] = None
    active: bool = True


class DraftOrderLineInput(BaseModel):
    offer_id: Optional[str] = Field(alias="offerId", default=None)
    variant_id: Optional[str] = Field(alias="variantId", default=None)
    quantity: int


class DraftOrderLineUpdateInput(BaseModel):
    line_id: str = Field(alias="lineId")
    quantity: int


class MetadataInput(BaseModel):
    key: str
    value: str


class OperationLineInput(BaseModel):
    variant_id: str = Field(alias="variantId")
    min_quantity: Optional[int] = Field(alias="minQuantity", default=None)
    max_quantity: Optional[int] = Field(alias="maxQuantity", default=None)
    recommended_quantity: Optional[int] = Field(
        alias="recommendedQuantity", default=None
    )


class OrderFilter(BaseModel):
    """AND across fields, OR within a list; unknown values are ignored."""

    status: Optional[list[OrderStatus]] = None
    placed: Optional[bool] = None
    source_types: Optional[list[str]] = Field(alias="sourceTypes", default=None)
    source_ids: Optional[list[str]] = Field(alias="sourceIds", default=None)
    created_from: Optional[datetime] = Field(alias="createdFrom", default=None)
    created_to: Optional[datetime] = Field(alias="createdTo", default=None)
    placed_from: Optional[datetime] = Field(alias="placedFrom", default=None)
    placed_to: Optional[datetime] = Field(alias="placedTo", default=None)
    reference: Optional[str] = None
    "Case-insensitive part of the reference."
    account_ids: Optional[list[str]] = Field(alias="accountIds", default=None)
    "A buyer may only name its own account; other ids are ignored."
    metadata: Optional[list["MetadataInput"]] = None


class PlaceDraftOrderInput(BaseModel):
    payment_method_id: Optional[str] = Field(alias="paymentMethodId", default=None)
    idempotency_key: Optional[str] = Field(alias="idempotencyKey", default=None)
    expected_version: Optional[int] = Field(alias="expectedVersion", default=None)


class QuoteLineInput(BaseModel):
    offer_id: str = Field(alias="offerId")
    quantity: int
    unit_price: str = Field(alias="unitPrice")
    'Decimal string, e.g. "2.50".'


class UpdateDraftOrderInput(BaseModel):
    """Fields left out are unchanged; null clears. Metadata upserts by key; an empty value removes the key."""

    shipping_address_id: Optional[str] = Field(alias="shippingAddressId", default=None)
    billing_address_id: Optional[str] = Field(alias="billingAddressId", default=None)
    shipping_type: Optional[str] = Field(alias="shippingType", default=None)
    customer_reference: Optional[str] = Field(alias="customerReference", default=None)
    notes: Optional[str] = None
    metadata: Optional[list["MetadataInput"]] = None


class UpdateOperationInput(BaseModel):
    name: Optional[str] = None
    lines: Optional[list["OperationLineInput"]] = None
    account_ids: Optional[list[str]] = Field(alias="accountIds", default=None)


class UpdateWebhookSubscriptionInput(BaseModel):
    url: Optional[str] = None
    event_types: Optional[list[WebhookEventType]] = Field(
        alias="eventTypes", default=None
    )
    description: Optional[str] = None
    active: Optional[bool] = None


CreateDraftOrderInput.model_rebuild()
CreateOperationInput.model_rebuild()
CreateQuoteInput.model_rebuild()
OrderFilter.model_rebuild()
UpdateDraftOrderInput.model_rebuild()
UpdateOperationInput.model_rebuild()
