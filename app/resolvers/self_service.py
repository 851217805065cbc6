"""Buyer self-service mutations: updateProfile, the address book, cancelPayment (buyers only)."""

from __future__ import annotations

from typing import Annotated

import strawberry

from app.resolvers.common import require_buyer, run_mutation
from app.schema.common import user_errors
from app.schema.orders import Order, commercial_order
from app.schema.payments import Payment
from app.schema.self_service import (
    AddressPayload,
    CancelPaymentPayload,
    CreateAddressInput,
    DeleteAddressPayload,
    UpdateAddressInput,
    UpdateProfileInput,
    UpdateProfilePayload,
)
from app.schema.viewer import Address, CustomerUser
from app.services.access.profile import ProfileChange, update_profile
from app.services.checkout.cancel_payment import cancel_payment
from app.services.common.address_fields import AddressFields
from app.services.common.outcome import Outcome
from app.services.orders import addresses


def _fields(inp: CreateAddressInput | UpdateAddressInput) -> AddressFields:
    return AddressFields(
        street=inp.street,
        city=inp.city,
        country=inp.country,
        full_name=inp.full_name,
        postal_code=inp.postal_code,
        state=inp.state,
        phone=inp.phone,
    )


def _address_payload(outcome: Outcome) -> AddressPayload:
    value = outcome.value if outcome.commit else None
    return AddressPayload(address=Address.of(value) if value else None, errors=user_errors(outcome.errors))


async def update_profile_field(info: strawberry.Info, input: UpdateProfileInput) -> UpdateProfilePayload:
    caller = require_buyer(info)
    change = ProfileChange(first_name=input.first_name, last_name=input.last_name)
    outcome = await run_mutation(info, lambda s: update_profile(s, caller, change))
    user = outcome.value if outcome.commit else None
    return UpdateProfilePayload(user=CustomerUser.of(user) if user else None, errors=user_errors(outcome.errors))


async def create_address(info: strawberry.Info, input: CreateAddressInput) -> AddressPayload:
    caller = require_buyer(info)
    change = addresses.AddressChange(_fields(input), is_shipping=input.is_shipping, is_billing=input.is_billing)
    outcome = await run_mutation(
        info, lambda s: addresses.create_address(s, caller, change, make_default=input.is_default)
    )
    return _address_payload(outcome)


async def update_address(info: strawberry.Info, id: strawberry.ID, input: UpdateAddressInput) -> AddressPayload:
    caller = require_buyer(info)
    change = addresses.AddressChange(_fields(input), is_shipping=input.is_shipping, is_billing=input.is_billing)
    outcome = await run_mutation(info, lambda s: addresses.update_address(s, caller, str(id), change))
    return _address_payload(outcome)


async def delete_address(info: strawberry.Info, id: strawberry.ID) -> DeleteAddressPayload:
    caller = require_buyer(info)
    outcome = await run_mutation(info, lambda s: addresses.delete_address(s, caller, str(id)))
    deleted = outcome.value if outcome.commit else None
    return DeleteAddressPayload(
        deleted_id=strawberry.ID(deleted) if deleted else None, errors=user_errors(outcome.errors)
    )


async def set_default_address(info: strawberry.Info, id: strawberry.ID) -> AddressPayload:
    caller = require_buyer(info)
    outcome = await run_mutation(info, lambda s: addresses.set_default_address(s, caller, str(id)))
    return _address_payload(outcome)


async def cancel_payment_field(
    info: strawberry.Info,
    order_key: Annotated[str, strawberry.argument(description="The order's id or reference (its orderKey).")],
) -> CancelPaymentPayload:
    caller = require_buyer(info)
    outcome = await run_mutation(info, lambda s: cancel_payment(s, caller, order_key))
    done = outcome.value if outcome.commit else None
    return CancelPaymentPayload(
        order=commercial_order(done.order) if done else None,
        payment=Payment.of(done.payment) if done else None,
        errors=user_errors(outcome.errors),
        placed_order=Order.of(done.order) if done else None,
    )
