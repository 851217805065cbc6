"""Buyer self-service: the profile, the account's address book, and giving up a payment in progress."""

from __future__ import annotations

import strawberry

from app.schema.common import UserError
from app.schema.order_parts import CommercialOrder
from app.schema.orders import Order
from app.schema.payments import Payment
from app.schema.viewer import Address, CustomerUser


@strawberry.input(description="Profile fields to set; a field left out (or null) is unchanged.")
class UpdateProfileInput:
    first_name: str | None = strawberry.field(
        default=None, description="Required for checkout; at most 100 characters, not empty."
    )
    last_name: str | None = strawberry.field(
        default=None, description="Required for checkout; at most 100 characters, not empty."
    )


@strawberry.type(description="The result of updateProfile.")
class UpdateProfilePayload:
    user: CustomerUser | None = strawberry.field(
        description="The user as it now is (profileCompleted: whether checkout accepts it); null when refused."
    )
    errors: list[UserError]


@strawberry.input(description="A new address of the account; the country is a full country name such as 'France'.")
class CreateAddressInput:
    street: str = strawberry.field(description="Street and number; at most 300 characters.")
    city: str = strawberry.field(description="At most 100 characters.")
    country: str = strawberry.field(description="A full country name ('France', not 'FR': COUNTRY_NAME_NOT_FULL).")
    full_name: str | None = strawberry.field(default=None, description="Recipient; at most 200 characters.")
    postal_code: str | None = strawberry.field(default=None, description="At most 20 characters.")
    state: str | None = strawberry.field(default=None, description="At most 100 characters.")
    phone: str | None = strawberry.field(default=None, description="At most 40 characters.")
    is_shipping: bool = strawberry.field(default=True, description="Usable for shipping (default true).")
    is_billing: bool = strawberry.field(default=True, description="Usable for billing (default true).")
    is_default: bool = strawberry.field(
        default=False, description="Make it the account's default address (the previous default stops being it)."
    )


@strawberry.input(
    description="Changes to an address; a field left out (or null) is unchanged, an empty optional text clears it."
)
class UpdateAddressInput:
    street: str | None = strawberry.field(default=None, description="Street and number; not empty.")
    city: str | None = strawberry.field(default=None, description="Not empty.")
    country: str | None = strawberry.field(default=None, description="A full country name.")
    full_name: str | None = strawberry.field(default=None, description="Recipient; empty clears it.")
    postal_code: str | None = strawberry.field(default=None, description="Empty clears it.")
    state: str | None = strawberry.field(default=None, description="Empty clears it.")
    phone: str | None = strawberry.field(default=None, description="Empty clears it.")
    is_shipping: bool | None = strawberry.field(default=None, description="Usable for shipping.")
    is_billing: bool | None = strawberry.field(default=None, description="Usable for billing.")


@strawberry.type(description="The result of createAddress, updateAddress and setDefaultAddress.")
class AddressPayload:
    address: Address | None = strawberry.field(
        description="The address as it now is in the account's book; null when refused. updateAddress of an "
        "address that a placed order names answers its replacement, with a new id (the order keeps the old one)."
    )
    errors: list[UserError]


@strawberry.type(description="The result of deleteAddress.")
class DeleteAddressPayload:
    deleted_id: strawberry.ID | None
    errors: list[UserError]


@strawberry.type(description="The result of cancelPayment.")
class CancelPaymentPayload:
    order: CommercialOrder | None = strawberry.field(
        description="The order after the cancel: a DraftOrder again (the cart, when it came from the cart) if it "
        "was waiting for its payment, or the placed Order, its payment AWAITING_PAYMENT; null when refused."
    )
    payment: Payment | None = strawberry.field(description="The canceled attempt; null when refused.")
    errors: list[UserError]
    placed_order: Order | None = strawberry.field(
        default=None,
        description="The same order under its Order type, as it now is (status DRAFT when it went back to the "
        "draft): a cache holding `Order:<id>` from the placement stops showing the payment in progress without a "
        "refetch or an eviction (`order` updates `DraftOrder:<id>`). Null when refused.",
    )
