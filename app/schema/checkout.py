"""Cart checkout and payments: payment and shipping methods, payment attempts, the checkout result union."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry

from app import models
from app.schema.common import Money, UserError
from app.schema.orders import CommercialOrder
from app.services.rules import payment_states as states

PaymentKind = strawberry.enum(states.MethodKind, name="PaymentKind", description="How a payment method pays.")
PaymentAttemptStatus = strawberry.enum(
    states.AttemptStatus, name="PaymentAttemptStatus", description="Where one payment attempt stands."
)


@strawberry.type(description="A way to pay: REDIRECT sends the buyer to a payment page, DIRECT pays later.")
class PaymentMethod:
    id: strawberry.ID
    code: str
    name: str
    kind: PaymentKind

    @classmethod
    def of(cls, m: models.PaymentMethod) -> PaymentMethod:
        return cls(id=strawberry.ID(m.id), code=m.code, name=m.name, kind=states.MethodKind(m.kind))


@strawberry.type(description="A way to ship, with its price (net).")
class ShippingMethod:
    id: strawberry.ID
    code: str
    name: str
    price: Money

    @classmethod
    def of(cls, m: models.ShippingMethod) -> ShippingMethod:
        return cls(id=strawberry.ID(m.id), code=m.code, name=m.name, price=Money.of(m.price_amount, m.currency))


@strawberry.type(description="One payment attempt of an order.")
class Payment:
    id: strawberry.ID
    status: PaymentAttemptStatus
    amount: Money
    created_at: datetime
    expires_at: datetime | None = strawberry.field(description="A pending redirect payment expires then.")
    model: strawberry.Private[models.Payment]

    @strawberry.field(description="The method it was made with (null if that method was deleted since).")
    async def method(self, info: strawberry.Info) -> PaymentMethod | None:
        if self.model.method_id is None:
            return None
        found = await info.context.loaders.payment_method.load(self.model.method_id)
        return PaymentMethod.of(found) if found else None

    @classmethod
    def of(cls, p: models.Payment) -> Payment:
        return cls(
            id=strawberry.ID(p.id),
            status=states.AttemptStatus(p.status),
            amount=Money.of(p.amount, p.currency),
            created_at=p.created_at,
            expires_at=p.expires_at,
            model=p,
        )


async def payments_of(info: strawberry.Info, order_id: str) -> list[Payment]:
    return [Payment.of(p) for p in await info.context.loaders.payments_by_order.load(order_id)]


@strawberry.type(description="A redirect payment was started: send the buyer to nextStep.")
class RedirectPayment:
    next_step: str = strawberry.field(description="The payment page's URL.")
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
    RedirectPayment | DirectPayment,
    strawberry.union("CheckoutResult", description="How the buyer continues: to a payment page, or done."),
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


@strawberry.type
class PayOrderPayload:
    result: CheckoutResult | None
    errors: list[UserError]
