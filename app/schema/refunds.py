"""refundOrder and refundProposal (operators): the inputs, the proposal (what a refund gives back, line by line,
and from which payment) and the payloads (services/payments/refunds.py)."""

from __future__ import annotations

import strawberry

from app.schema.common import Money, UserError
from app.schema.orders import Order
from app.schema.payments import PaymentTransaction
from app.schema.scalars import DecimalText
from app.services.payments import refunds
from app.services.pricing.refunds import LinePart


@strawberry.input(description="Units of one order line to give back.")
class RefundLineInput:
    line_id: strawberry.ID = strawberry.field(description="The order line's id (`Order.lines { id }`).")
    quantity: int = strawberry.field(
        description="How many units: at least 1, at most those bought and not yet refunded (REFUND_EXCEEDS_ORDERED)."
    )


@strawberry.input(
    description="What to give back of an order's captured money: units of its lines and/or its shipping (itemized, "
    "valued as refundProposal shows), or an amount alone (a goodwill refund tied to no units)."
)
class RefundOrderInput:
    order_id: strawberry.ID = strawberry.field(description="The order's id or its reference (any case).")
    lines: list[RefundLineInput] = strawberry.field(
        default_factory=list, description="Units of the order's lines to give back, each line at most once."
    )
    shipping: bool = strawberry.field(default=False, description="Give the shipping charge back (at most once).")
    amount: DecimalText | None = strawberry.field(
        default=None,
        description="Without lines or shipping: the amount to give back (a goodwill refund). With them: optional; "
        "when given it must equal what they are worth, refundProposal's total (else REFUND_AMOUNT_MISMATCH).",
    )
    reason: str | None = strawberry.field(
        default=None, description="Why, kept on the transaction and given to the provider (1000 characters)."
    )
    idempotency_key: str = strawberry.field(
        description="Makes the call safe to retry: the same key on this order with the same input answers the first "
        "result; with another input it is IDEMPOTENCY_KEY_REUSED."
    )


@strawberry.type(description="What some units of one line give back: their price, less their discounts, plus tax.")
class RefundLinePart:
    line_id: strawberry.ID = strawberry.field(description="The order line.")
    quantity: int = strawberry.field(description="Units given back.")
    first_unit: int = strawberry.field(
        description="The first of them (from 1): units go back in order, after those refunded before."
    )
    unit_price: Money = strawberry.field(description="The unit price frozen at placement, before any discount.")
    gross: Money = strawberry.field(description="Their price before any discount: unitPrice x quantity.")
    promotion: Money = strawberry.field(description="Their share of the line's promotion discount (deducted).")
    voucher: Money = strawberry.field(description="Their share of the voucher's discount (deducted).")
    order_promotion: Money = strawberry.field(description="Their share of the other order-level discounts (deducted).")
    tax: Money = strawberry.field(description="Their tax (added).")
    amount: Money = strawberry.field(
        description="What they give back: gross - promotion - voucher - orderPromotion + tax."
    )

    @classmethod
    def of(cls, p: LinePart, currency: str) -> RefundLinePart:
        return cls(
            line_id=strawberry.ID(p.line_id),
            quantity=p.quantity,
            first_unit=p.first_unit,
            unit_price=Money.of(p.unit_price, currency),
            gross=Money.of(p.gross, currency),
            promotion=Money.of(p.promotion, currency),
            voucher=Money.of(p.voucher, currency),
            order_promotion=Money.of(p.order_promotion, currency),
            tax=Money.of(p.tax, currency),
            amount=Money.of(p.amount, currency),
        )


@strawberry.type(description="Part of a refund, paid back from one payment: one REFUND transaction.")
class RefundSource:
    payment_id: strawberry.ID | None = strawberry.field(
        description="The payment attempt (`Order.payments`) whose captured money it gives back through its provider; "
        "null: money received outside a provider (recordPayment), paid back by the shop itself (settled at once)."
    )
    amount: Money = strawberry.field(description="What this part gives back.")


@strawberry.type(
    description="What refundOrder would do with the same input, computed by the same function: per line the value of "
    "the units given back, the shipping, the total, and the payments it comes from."
)
class RefundProposal:
    total: Money = strawberry.field(description="What the refund gives back: its lines and shipping, or the amount.")
    lines: list[RefundLinePart] = strawberry.field(description="Per line asked, what its units give back.")
    shipping: Money = strawberry.field(description="The shipping given back (0.00 when not asked).")
    refundable: Money = strawberry.field(
        description="What could still be refunded before this refund: captured, less succeeded and pending refunds."
    )
    sources: list[RefundSource] = strawberry.field(
        description="Where the money goes back from: a provider's payment first, then money received."
    )

    @classmethod
    def of(cls, p: refunds.Proposal) -> RefundProposal:
        currency = p.order.currency
        plan = p.plan
        return cls(
            total=Money.of(plan.total, currency),
            lines=[RefundLinePart.of(part, currency) for part in plan.share.lines],
            shipping=Money.of(plan.share.shipping, currency),
            refundable=Money.of(plan.refundable, currency),
            sources=[
                RefundSource(
                    payment_id=strawberry.ID(part.source.payment_id) if part.source.payment_id else None,
                    amount=Money.of(part.amount, currency),
                )
                for part in plan.parts
            ],
        )


@strawberry.type(description="refundProposal's answer: the proposal, or why refundOrder would refuse it.")
class RefundProposalPayload:
    proposal: RefundProposal | None
    errors: list[UserError]


@strawberry.type(description="The order after a refund was asked for, and the refund's ledger entries.")
class RefundOrderPayload:
    order: Order | None
    transaction: PaymentTransaction | None = strawberry.field(
        description="The refund (PENDING until its provider's callback; money received: SUCCEEDED at once). A replay "
        "of the key: the first call's, as it now stands."
    )
    transactions: list[PaymentTransaction] = strawberry.field(
        description="Every part of the refund, one per payment it comes from (most refunds have one: `transaction`)."
    )
    errors: list[UserError]
