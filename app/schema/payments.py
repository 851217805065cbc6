"""Payment and shipping methods and payment attempts: the leaf types that orders, drafts and checkout all show.

Imports no other order module, so `app/schema/order_parts.py` can type its fields with them directly.
"""

from __future__ import annotations

from datetime import datetime

import strawberry

from app import models
from app.schema.common import Money
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
