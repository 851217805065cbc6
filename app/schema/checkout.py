"""Cart checkout and payOrder: the checkout result union, its input and payloads."""

from __future__ import annotations

from typing import Annotated

import strawberry

from app.schema.common import UserError
from app.schema.drafts import DraftOrder
from app.schema.order_parts import CommercialOrder

# Defined in the leaf module app/schema/payments.py (orders and drafts show them too); named here as well for
# the checkout resolvers, which import them from this module.
from app.schema.payments import PaymentMethod as PaymentMethod
from app.schema.payments import ShippingMethod as ShippingMethod


@strawberry.type(description="A redirect payment was started: send the buyer to nextStep.")
class RedirectPayment:
    next_step: str = strawberry.field(description="The payment page's URL.")
    order_key: str = strawberry.field(description="The order's reference, to show and to pay or look it up again.")
    order: CommercialOrder = strawberry.field(
        description="The order (PAYMENT_PENDING); a replay shows it as it is now, a DraftOrder if its payment was "
        "refused since."
    )


@strawberry.type(
    description="A payment the buyer confirms in the storefront with Stripe.js (a Stripe method): pass clientSecret "
    "to stripe.confirmPayment with a Stripe instance built from publishableKey. The order waits as for a redirect "
    "payment (PAYMENT_PENDING, the same expiry and stock reservation) until Stripe's webhook says how it ended."
)
class ClientSecretPayment:
    client_secret: str = strawberry.field(
        description="The PaymentIntent's client secret: for this buyer's page only (do not log or store it)."
    )
    publishable_key: str = strawberry.field(description="The Stripe account's publishable key (pk_...).")
    order_key: str = strawberry.field(description="The order's reference, to show and to pay or look it up again.")
    order: CommercialOrder = strawberry.field(
        description="The order (PAYMENT_PENDING); a replay shows it as it is now, a DraftOrder if its payment was "
        "refused since."
    )


@strawberry.type(description="A direct payment (pay on delivery, bank wire): the order is placed and awaits it.")
class DirectPayment:
    order_key: str
    order: CommercialOrder = strawberry.field(description="The order, placed (PLACED, awaiting its payment).")


CheckoutResult = Annotated[
    RedirectPayment | DirectPayment | ClientSecretPayment,
    strawberry.union(
        "CheckoutResult",
        description="How the buyer continues: to a payment page, confirming in the storefront (Stripe.js), or done.",
    ),
]


@strawberry.input
class CheckoutCartInput:
    address_id: strawberry.ID = strawberry.field(description="Used for shipping and billing: must be both.")
    payment_method_id: strawberry.ID = strawberry.field(description="Id or code of an active payment method.")
    shipping_method_id: strawberry.ID = strawberry.field(description="Id or code of an active shipping method.")
    notes: str | None = strawberry.field(default=None, description="At most 500 characters.")
    idempotency_key: str | None = None
    return_url: str | None = strawberry.field(
        default=None, description="Where the payment page sends the buyer back (default: a gateway page)."
    )


@strawberry.type
class CheckoutCartPayload:
    result: CheckoutResult | None
    errors: list[UserError]
    draft_order: DraftOrder | None = strawberry.field(
        default=None,
        description="The cart this call checked out, under its DraftOrder type, as it now is (PAYMENT_PENDING or "
        "PLACED): a cache holding `DraftOrder:<id>` (the `cart` query's answer) shows it placed without a refetch; "
        "read `cart` again for the next one. Null when refused.",
    )


@strawberry.type
class PayOrderPayload:
    result: CheckoutResult | None
    errors: list[UserError]
