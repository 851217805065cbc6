"""Payment and shipping methods and payment attempts: the leaf types that orders, drafts and checkout all show.

Imports no other order module, so `app/schema/order_parts.py` can type its fields with them directly.
"""

from __future__ import annotations

from datetime import datetime

import strawberry

from app import models
from app.schema.common import Money, Node
from app.services.rules import payment_states as states

PaymentKind = strawberry.enum(states.MethodKind, name="PaymentKind", description="How a payment method pays.")
PaymentAttemptStatus = strawberry.enum(
    states.AttemptStatus, name="PaymentAttemptStatus", description="Where one payment attempt stands."
)
CaptureMode = strawberry.enum(states.CaptureMode, name="CaptureMode", description="When a method takes the money.")
TransactionKind = strawberry.enum(
    states.TransactionKind, name="PaymentTransactionKind", description="What one entry of an order's ledger records."
)
TransactionStatus = strawberry.enum(
    states.TransactionStatus, name="PaymentTransactionStatus", description="Where one ledger entry stands."
)


@strawberry.type(description="A way to pay: REDIRECT sends the buyer to a payment page, DIRECT pays later.")
class PaymentMethod(Node):
    id: strawberry.ID
    code: str
    name: str
    kind: PaymentKind
    capture_mode: CaptureMode = strawberry.field(
        description="AUTOMATIC: the approval takes the money; MANUAL: it only holds it until capturePayment."
    )

    @classmethod
    def of(cls, m: models.PaymentMethod) -> PaymentMethod:
        return cls(
            id=strawberry.ID(m.id),
            code=m.code,
            name=m.name,
            kind=states.MethodKind(m.kind),
            capture_mode=states.CaptureMode(m.capture_mode),
        )


@strawberry.type(description="A way to ship, with its price (net).")
class ShippingMethod(Node):
    id: strawberry.ID
    code: str
    name: str
    price: Money

    @classmethod
    def of(cls, m: models.ShippingMethod) -> ShippingMethod:
        return cls(id=strawberry.ID(m.id), code=m.code, name=m.name, price=Money.of(m.price_amount, m.currency))


@strawberry.type(description="One payment attempt of an order.")
class Payment(Node):
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


@strawberry.type(description="Units of one order line a refund gives back, and what they are worth (tax included).")
class RefundLine:
    line_id: strawberry.ID = strawberry.field(description="The order line (`Order.lines`).")
    quantity: int = strawberry.field(description="Units given back.")
    amount: Money = strawberry.field(description="What those units are worth: net of their discounts, tax included.")


@strawberry.type(
    description="One entry of an order's payment ledger: money held (AUTHORIZATION), taken (CAPTURE), released "
    "(VOID), given back (REFUND) or received outside a provider (MANUAL). The order's amounts add these up."
)
class PaymentTransaction(Node):
    id: strawberry.ID
    kind: TransactionKind
    status: TransactionStatus
    amount: Money
    shipping_amount: Money = strawberry.field(description="Of a refund: the part of `amount` that is shipping.")
    reference: str | None = strawberry.field(description="The provider's reference, or the operator's (a bank wire's).")
    reason: str | None = strawberry.field(description="Why it was made, as its author gave it.")
    failure: str | None = strawberry.field(description="Why the provider refused it (FAILED only).")
    logistic_order_id: strawberry.ID | None = strawberry.field(
        description="The logistic order whose share it is, when it is one (a capture at shipment, a declined "
        "supplier's refund)."
    )
    created_at: datetime
    settled_at: datetime | None = strawberry.field(description="When it succeeded or failed; null while PENDING.")
    model: strawberry.Private[models.PaymentTransaction]

    @strawberry.field(
        description="Of a refund: the lines and units it gives back (empty for an amount alone; a refund split "
        "over several payments records them on its last part)."
    )
    async def refund_lines(self, info: strawberry.Info) -> list[RefundLine]:
        if self.model.kind != states.TransactionKind.REFUND:
            return []
        rows = await info.context.loaders.refund_lines_by_transaction.load(self.model.id)
        return [
            RefundLine(
                line_id=strawberry.ID(r.order_line_id),
                quantity=r.quantity,
                amount=Money.of(r.amount, self.model.currency),
            )
            for r in rows
        ]

    @classmethod
    def of(cls, t: models.PaymentTransaction) -> PaymentTransaction:
        return cls(
            id=strawberry.ID(t.id),
            kind=states.TransactionKind(t.kind),
            status=states.TransactionStatus(t.status),
            amount=Money.of(t.amount, t.currency),
            shipping_amount=Money.of(t.shipping_amount, t.currency),
            reference=t.provider_reference,
            reason=t.reason,
            failure=t.failure,
            logistic_order_id=strawberry.ID(t.logistic_order_id) if t.logistic_order_id else None,
            created_at=t.created_at,
            settled_at=t.settled_at,
            model=t,
        )
