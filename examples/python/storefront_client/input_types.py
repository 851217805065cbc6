from datetime import datetime
from decimal import Decimal
from typing import Optional

from pydantic import Field

from .base_model import BaseModel
from .enums import (
    AccountRole,
    BudgetMode,
    BudgetPeriod,
    CartOrderAction,
    OperationType,
    OrderSortField,
    OrderSourceType,
    OrderStatus,
    PaymentTermsType,
    SortDirection,
    WebhookEventType,
)


class AddressInput(BaseModel):
    """A postal address; the country is a full country name such as 'Canada'."""

    street: str
    "Street and number."
    city: str
    "City."
    country: str
    "The full country name (ISO 3166), e.g. 'Canada', never a code."
    full_name: Optional[str] = Field(alias="fullName", default=None)
    "Addressee."
    postal_code: Optional[str] = Field(alias="postalCode", default=None)
    "Postal code."
    state: Optional[str] = None
    "State, province or region."
    phone: Optional[str] = None
    "Phone number."


class ApprovalRuleInput(BaseModel):
    """An approval rule (docs/b2b.md)."""

    name: str
    "The name."
    min_amount: Optional[str] = Field(alias="minAmount", default=None)
    'The part\'s total (tax included) must be above it (a decimal such as "1000.00").'
    supplier: Optional[str] = None
    "Supplier id or external id."
    sku: Optional[str] = None
    "The variant's SKU."
    requester_role: Optional[AccountRole] = Field(alias="requesterRole", default=None)
    "Only drafts of users with this role; null: everyone's."
    approver_role: AccountRole = Field(
        alias="approverRole", default=AccountRole.APPROVER
    )
    "Who approves the first tier (ADMIN approves any tier)."
    second_tier_amount: Optional[str] = Field(alias="secondTierAmount", default=None)
    "A part above this total needs a second approval, by another user."
    second_tier_role: Optional[AccountRole] = Field(
        alias="secondTierRole", default=None
    )
    "Who gives the second approval (default ADMIN)."


class BudgetInput(BaseModel):
    """A budget: created, or its amount and mode changed, per cost centre and period."""

    account_id: Optional[str] = Field(alias="accountId", default=None)
    "Operators: the account (id or external id); buyers: their own."
    cost_centre: Optional[str] = Field(alias="costCentre", default=None)
    "The cost centre (1 to 50 characters); null: a budget over every order of the account."
    period: BudgetPeriod = BudgetPeriod.MONTH
    "The calendar period (default MONTH)."
    amount: str
    'A decimal amount such as "5000.00".'
    mode: Optional[BudgetMode] = None
    "Null: a new budget is BLOCK, an existing one keeps its mode."


class CapturePaymentInput(BaseModel):
    """Capture part or all of what an order's approved MANUAL-capture payment holds."""

    order_id: str = Field(alias="orderId")
    "The order's id or its reference (any case)."
    amount: Optional[Decimal] = None
    'What to capture ("50.00"); default: everything still authorized. More than that is CAPTURE_EXCEEDS_AUTHORIZED; the rest of a partial capture stays authorized.'
    idempotency_key: str = Field(alias="idempotencyKey")
    "Makes the call safe to retry: the same key on this order answers the first result; with another amount it is IDEMPOTENCY_KEY_REUSED."


class CheckoutCartInput(BaseModel):
    """What checkoutCart needs."""

    address_id: str = Field(alias="addressId")
    "Used for shipping and billing: must be both."
    payment_method_id: str = Field(alias="paymentMethodId")
    "Id or code of an active payment method."
    shipping_method_id: str = Field(alias="shippingMethodId")
    "Id or code of an active shipping method."
    notes: Optional[str] = None
    "At most 500 characters."
    idempotency_key: Optional[str] = Field(alias="idempotencyKey", default=None)
    "Same key and same input: the first result again; another input: IDEMPOTENCY_KEY_REUSED."
    return_url: Optional[str] = Field(alias="returnUrl", default=None)
    "Where the payment page sends the buyer back (default: a gateway page)."


class CreateAddressInput(BaseModel):
    """A new address of the account; the country is a full country name such as 'France'."""

    street: str
    "Street and number; at most 300 characters."
    city: str
    "At most 100 characters."
    country: str
    "A full country name ('France', not 'FR': COUNTRY_NAME_NOT_FULL)."
    full_name: Optional[str] = Field(alias="fullName", default=None)
    "Recipient; at most 200 characters."
    postal_code: Optional[str] = Field(alias="postalCode", default=None)
    "At most 20 characters."
    state: Optional[str] = None
    "At most 100 characters."
    phone: Optional[str] = None
    "At most 40 characters."
    is_shipping: bool = Field(alias="isShipping", default=True)
    "Usable for shipping (default true)."
    is_billing: bool = Field(alias="isBilling", default=True)
    "Usable for billing (default true)."
    is_default: bool = Field(alias="isDefault", default=False)
    "Make it the account's default address (the previous default stops being it)."


class CreateDraftOrderInput(BaseModel):
    """A new draft: details as in UpdateDraftOrderInput, optional lines."""

    shipping_address_id: Optional[str] = Field(alias="shippingAddressId", default=None)
    "An address id of the account usable for shipping."
    billing_address_id: Optional[str] = Field(alias="billingAddressId", default=None)
    "An address id of the account usable for billing."
    shipping_type: Optional[str] = Field(alias="shippingType", default=None)
    "A free shipping type label."
    customer_reference: Optional[str] = Field(alias="customerReference", default=None)
    "The buyer's own reference."
    notes: Optional[str] = None
    "Notes."
    metadata: Optional[list["MetadataInput"]] = None
    "Key-value pairs."
    shipping_method_id: Optional[str] = Field(alias="shippingMethodId", default=None)
    "Id or code of an active shipping method; its price becomes the draft's shippingTotal."
    cost_centre: Optional[str] = Field(alias="costCentre", default=None)
    "The cost centre whose budget the order is charged to (at most 50 characters; null clears). Budgets of the account without a cost centre charge every order (docs/b2b.md)."
    lines: Optional[list["DraftOrderLineInput"]] = None
    "Lines to add at once (as addDraftOrderLines)."
    idempotency_key: Optional[str] = Field(alias="idempotencyKey", default=None)
    "Same key and same input: the first draft again; another input: IDEMPOTENCY_KEY_REUSED."


class CreateOperationInput(BaseModel):
    """A new operation (DRAFT)."""

    name: str
    "The name."
    type_: OperationType = Field(alias="type", default=OperationType.PUBLIC)
    "PUBLIC or PRIVATE."
    starts_at: datetime = Field(alias="startsAt")
    "Opens then."
    ends_at: Optional[datetime] = Field(alias="endsAt", default=None)
    "Closes then, if ever."
    lines: list["OperationLineInput"]
    "Its variants and quantity rules."
    account_ids: Optional[list[str]] = Field(alias="accountIds", default=None)
    "The accounts of a PRIVATE operation."


class CreateOrderFromCartInput(BaseModel):
    """Turn the cart into an order: what to do after, and the billing address."""

    action: CartOrderAction
    "CHECKOUT also starts the payment; SAVE_ORDER only saves the order."
    billing_address: Optional["AddressInput"] = Field(
        alias="billingAddress", default=None
    )
    "Default: the account's saved billing address."
    payment_method_id: Optional[str] = Field(alias="paymentMethodId", default=None)
    "CHECKOUT: default the store's first active redirect method."
    idempotency_key: Optional[str] = Field(alias="idempotencyKey", default=None)
    "Same key and same input: the first result again; another input: IDEMPOTENCY_KEY_REUSED."
    return_url: Optional[str] = Field(alias="returnUrl", default=None)
    "Where the payment page sends the buyer back (default: a gateway page)."


class CreateQuoteInput(BaseModel):
    """A new quote."""

    account_id: str = Field(alias="accountId")
    "The buyer's account."
    name: Optional[str] = None
    "The name."
    expires_at: Optional[datetime] = Field(alias="expiresAt", default=None)
    "When it expires, if ever."
    lines: list["QuoteLineInput"]
    "The quoted lines."


class CreateRequisitionListInput(BaseModel):
    """A new requisition list."""

    name: str
    "1 to 200 characters."
    shared: bool = False
    "Seen by every user of the account at once (default: private to you)."
    items: Optional[list["RequisitionListItemInput"]] = None
    "Items to add at once (as addRequisitionListItems)."


class CreateReturnInput(BaseModel):
    """A return of shipped units of one order."""

    order_id: str = Field(alias="orderId")
    "The order's id or its reference (any case)."
    lines: list["ReturnLineInput"]
    "What came back: each line once, at most 200, all of one logistic order."
    reason: Optional[str] = None
    "Why (at most 1000 characters)."
    refund: bool = False
    "true: refund the returned units now, as refundOrder with these lines would (its rules and refusals; a refused refund refuses the return); false: refund later with refundOrder."
    idempotency_key: Optional[str] = Field(alias="idempotencyKey", default=None)
    "Makes the call safe to retry: the same key on this order answers the first return (and its refund) and writes nothing. Required with refund: true (it is the refund's key too)."


class CreateShipmentInput(BaseModel):
    """A shipment of one logistic order."""

    logistic_order_id: str = Field(alias="logisticOrderId")
    "The logistic order's id or its reference (any case, e.g. ORD-261204-69DDT3-1); it must be WAITING_SHIPMENT or PARTIALLY_SHIPPED."
    lines: list["ShipmentLineInput"]
    "What it holds: each line once, at most 200."
    carrier: str
    "Who carries it (at most 100 characters)."
    tracking_number: Optional[str] = Field(alias="trackingNumber", default=None)
    "The carrier's tracking number, shown to the buyer (at most 100 characters)."


class CreateWebhookSubscriptionInput(BaseModel):
    """A new webhook for the current store."""

    url: str
    "An https URL."
    event_types: list[WebhookEventType] = Field(alias="eventTypes")
    "Event types."
    description: Optional[str] = None
    "A description."
    active: bool = True
    "Whether it is active."


class DraftOrderLineInput(BaseModel):
    """A line to add. Name exactly one of offerId, variantId and sku: a line with none or several is an INVALID_INPUT error with its index (the other lines still apply)."""

    offer_id: Optional[str] = Field(alias="offerId", default=None)
    "The offer to buy (or give variantId or sku instead)."
    variant_id: Optional[str] = Field(alias="variantId", default=None)
    "The variant to buy, at its best offer for the viewer (or give offerId or sku)."
    sku: Optional[str] = None
    "The SKU to buy (or give offerId or variantId), any case, at the offer a variantId gets: the cheapest offer you can buy in stock, else the cheapest you can buy; to choose the supplier, give offerId. An unknown SKU is SKU_NOT_FOUND, one outside your catalog PRODUCT_NOT_VISIBLE."
    quantity: int
    "Units; within the offer's min, max and pack size."


class DraftOrderLineUpdateInput(BaseModel):
    """A new quantity for one line."""

    line_id: str = Field(alias="lineId")
    "The line's id."
    quantity: int
    "The new quantity; 0 removes the line."


class MetadataInput(BaseModel):
    """A key-value pair to store; an empty value removes the key."""

    key: str
    "The key (at most 64 characters)."
    value: str
    "The value."


class OperationLineInput(BaseModel):
    """A variant of an operation and its quantity rules."""

    variant_id: str = Field(alias="variantId")
    "The variant's id."
    min_quantity: Optional[int] = Field(alias="minQuantity", default=None)
    "The least quantity."
    max_quantity: Optional[int] = Field(alias="maxQuantity", default=None)
    "The most quantity, if limited."
    recommended_quantity: Optional[int] = Field(
        alias="recommendedQuantity", default=None
    )
    "The quantity a full draft takes."


class OrderFilter(BaseModel):
    """AND across fields, OR within a list. An enum value outside its enum is a validation error; an id that names nothing matches nothing."""

    status: Optional[list[OrderStatus]] = None
    "Any of these statuses."
    placed: Optional[bool] = None
    "true: orders past the draft; false: drafts only."
    source_types: Optional[list[OrderSourceType]] = Field(
        alias="sourceTypes", default=None
    )
    "Any of these source kinds; a value outside OrderSourceType is a validation error."
    source_ids: Optional[list[str]] = Field(alias="sourceIds", default=None)
    "Any of these quote, operation, order or requisition list ids."
    created_from: Optional[datetime] = Field(alias="createdFrom", default=None)
    "Created at or after."
    created_to: Optional[datetime] = Field(alias="createdTo", default=None)
    "Created before."
    placed_from: Optional[datetime] = Field(alias="placedFrom", default=None)
    "Placed at or after."
    placed_to: Optional[datetime] = Field(alias="placedTo", default=None)
    "Placed before."
    reference: Optional[str] = None
    "Case-insensitive part of the reference."
    account_ids: Optional[list[str]] = Field(alias="accountIds", default=None)
    "A buyer may only name its own account; other ids are ignored."
    metadata: Optional[list["MetadataInput"]] = None
    "Has every one of these key-value pairs."
    overdue: Optional[bool] = None
    "true: placed orders due under payment terms (paymentDueAt) and past due, not paid in full; false: every other order (docs/b2b.md)."


class OrderSort(BaseModel):
    """One sort key of orders(orderBy:)."""

    field: OrderSortField
    "The key."
    direction: SortDirection = SortDirection.ASC
    "Its direction (default ASC)."


class PaymentTermsInput(BaseModel):
    """Payment terms of an account."""

    type_: PaymentTermsType = Field(alias="type")
    "The type."
    days: Optional[int] = None
    "NET: days after placement (0 to 365)."


class PlaceDraftOrderInput(BaseModel):
    """How to place a draft."""

    payment_method_id: Optional[str] = Field(alias="paymentMethodId", default=None)
    "Pay with it: a DIRECT method places the order (AWAITING_PAYMENT); a REDIRECT method holds it (PAYMENT_PENDING) and answers nextStep, the payment page."
    idempotency_key: Optional[str] = Field(alias="idempotencyKey", default=None)
    "Same key and same input: the first result again; another input: IDEMPOTENCY_KEY_REUSED."
    expected_version: Optional[int] = Field(alias="expectedVersion", default=None)
    "The draft's version as last read; another answers VERSION_CONFLICT."
    return_url: Optional[str] = Field(alias="returnUrl", default=None)
    "Where the payment page sends the buyer back (default: a gateway page)."


class QuoteLineInput(BaseModel):
    """A quoted line."""

    offer_id: str = Field(alias="offerId")
    "The offer quoted."
    quantity: int
    "Units."
    unit_price: Decimal = Field(alias="unitPrice")
    'The agreed net unit price, e.g. "2.50"; a malformed or out-of-range amount is that line\'s INVALID_INPUT.'


class RecordPaymentInput(BaseModel):
    """Money received for an order outside a payment provider (a bank wire, cash)."""

    order_id: str = Field(alias="orderId")
    "The order's id or its reference (any case)."
    amount: Decimal
    "What was received, in the order's currency (\"120.00\"): more than zero, at most the order's outstandingAmount (else OVERPAYMENT)."
    reference: Optional[str] = None
    "The bank's or the cashier's reference, kept on the transaction (200 characters)."
    idempotency_key: str = Field(alias="idempotencyKey")
    "Makes the call safe to retry: the same key on this order answers the first result; with another amount or reference it is IDEMPOTENCY_KEY_REUSED."


class RefundLineInput(BaseModel):
    """Units of one order line to give back."""

    line_id: str = Field(alias="lineId")
    "The order line's id (`Order.lines { id }`)."
    quantity: int
    "How many units: at least 1, at most those bought and not yet refunded (REFUND_EXCEEDS_ORDERED)."


class RefundOrderInput(BaseModel):
    """What to give back of an order's captured money: units of its lines and/or its shipping (itemized, valued as refundProposal shows), or an amount alone (a goodwill refund tied to no units)."""

    order_id: str = Field(alias="orderId")
    "The order's id or its reference (any case)."
    lines: list["RefundLineInput"] = Field(default_factory=lambda: [])
    "Units of the order's lines to give back, each line at most once."
    shipping: bool = False
    "Give the shipping charge back (at most once)."
    amount: Optional[Decimal] = None
    "Without lines or shipping: the amount to give back (a goodwill refund). With them: optional; when given it must equal what they are worth, refundProposal's total (else REFUND_AMOUNT_MISMATCH)."
    reason: Optional[str] = None
    "Why, kept on the transaction and given to the provider (1000 characters)."
    idempotency_key: str = Field(alias="idempotencyKey")
    "Makes the call safe to retry: the same key on this order with the same input answers the first result; with another input it is IDEMPOTENCY_KEY_REUSED."


class RequisitionListItemInput(BaseModel):
    """An item to add or set: a SKU (any case) and a quantity."""

    sku: str
    "The SKU; SKU_NOT_FOUND when no product has it."
    quantity: int
    "Units; within the offer's min, max and pack size (addRequisitionListItems adds it to the item's quantity, updateRequisitionListItems sets it, 0 removing the item)."


class ReturnLineInput(BaseModel):
    """Units of one order line that came back."""

    line_id: str = Field(alias="lineId")
    "A line of the order (Order.lines)."
    quantity: int
    "Units, at least 1; with the units returned already, at most what was shipped of the line."
    restock: bool
    "true: the units go back to the offer's stock."


class ShipmentLineInput(BaseModel):
    """Units of one order line to ship."""

    line_id: str = Field(alias="lineId")
    "A line of the logistic order (LogisticOrder.lines)."
    quantity: int
    "Units, at least 1; with the units shipped already, at most the line's quantity."


class UpdateAddressInput(BaseModel):
    """Changes to an address; a field left out (or null) is unchanged, an empty optional text clears it."""

    street: Optional[str] = None
    "Street and number; not empty."
    city: Optional[str] = None
    "Not empty."
    country: Optional[str] = None
    "A full country name."
    full_name: Optional[str] = Field(alias="fullName", default=None)
    "Recipient; empty clears it."
    postal_code: Optional[str] = Field(alias="postalCode", default=None)
    "Empty clears it."
    state: Optional[str] = None
    "Empty clears it."
    phone: Optional[str] = None
    "Empty clears it."
    is_shipping: Optional[bool] = Field(alias="isShipping", default=None)
    "Usable for shipping."
    is_billing: Optional[bool] = Field(alias="isBilling", default=None)
    "Usable for billing."


class UpdateDraftOrderInput(BaseModel):
    """Fields left out are unchanged; null clears. Metadata upserts by key; an empty value removes the key."""

    shipping_address_id: Optional[str] = Field(alias="shippingAddressId", default=None)
    "An address of the account usable for shipping."
    billing_address_id: Optional[str] = Field(alias="billingAddressId", default=None)
    "An address of the account usable for billing."
    shipping_type: Optional[str] = Field(alias="shippingType", default=None)
    "A free shipping type label."
    customer_reference: Optional[str] = Field(alias="customerReference", default=None)
    "The buyer's own reference."
    notes: Optional[str] = None
    "Notes for the order."
    metadata: Optional[list["MetadataInput"]] = None
    "Key-value pairs to upsert by key."
    shipping_method_id: Optional[str] = Field(alias="shippingMethodId", default=None)
    "Id or code of an active shipping method; its price becomes the draft's shippingTotal."
    cost_centre: Optional[str] = Field(alias="costCentre", default=None)
    "The cost centre whose budget the order is charged to (at most 50 characters; null clears). Budgets of the account without a cost centre charge every order (docs/b2b.md)."


class UpdateOperationInput(BaseModel):
    """Changes to an operation; fields left out are unchanged."""

    name: Optional[str] = None
    "The name."
    lines: Optional[list["OperationLineInput"]] = None
    "New lines (replace the old ones)."
    account_ids: Optional[list[str]] = Field(alias="accountIds", default=None)
    "New accounts (replace the old ones)."


class UpdateProfileInput(BaseModel):
    """Profile fields to set; a field left out (or null) is unchanged."""

    first_name: Optional[str] = Field(alias="firstName", default=None)
    "Required for checkout; at most 100 characters, not empty."
    last_name: Optional[str] = Field(alias="lastName", default=None)
    "Required for checkout; at most 100 characters, not empty."


class UpdateWebhookSubscriptionInput(BaseModel):
    """Changes to a webhook; fields left out are unchanged."""

    url: Optional[str] = None
    "An https URL."
    event_types: Optional[list[WebhookEventType]] = Field(
        alias="eventTypes", default=None
    )
    "Event types."
    description: Optional[str] = None
    "A description."
    active: Optional[bool] = None
    "Whether it is active."


CreateDraftOrderInput.model_rebuild()
CreateOperationInput.model_rebuild()
CreateOrderFromCartInput.model_rebuild()
CreateQuoteInput.model_rebuild()
CreateRequisitionListInput.model_rebuild()
CreateReturnInput.model_rebuild()
CreateShipmentInput.model_rebuild()
OrderFilter.model_rebuild()
RefundOrderInput.model_rebuild()
UpdateDraftOrderInput.model_rebuild()
UpdateOperationInput.model_rebuild()
