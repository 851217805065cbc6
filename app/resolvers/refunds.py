"""refundOrder and refundProposal (operators): services/payments/refunds.py."""

from __future__ import annotations

import strawberry

from app.observability import metrics
from app.resolvers.common import ctx_of, require_operator, run_mutation
from app.schema.common import user_errors
from app.schema.orders import Order
from app.schema.payments import PaymentTransaction
from app.schema.refunds import (
    RefundLineInput,
    RefundOrderInput,
    RefundOrderPayload,
    RefundProposal,
    RefundProposalPayload,
)
from app.schema.scalars import DecimalText
from app.services.payments import refunds


def _asked(lines: list[RefundLineInput] | None, shipping: bool | None, reason: str | None) -> refunds.RefundInput:
    return refunds.RefundInput(
        lines=tuple(refunds.AskedLine(str(ln.line_id), ln.quantity) for ln in lines or ()),
        shipping=bool(shipping),
        reason=reason,
    )


async def refund_order(info: strawberry.Info, input: RefundOrderInput) -> RefundOrderPayload:
    caller = require_operator(info)
    config = ctx_of(info).payment_config()
    asked = _asked(input.lines, input.shipping, input.reason)
    outcome = await run_mutation(
        info,
        lambda s: refunds.refund_order(
            s, caller, str(input.order_id), asked, input.amount, input.idempotency_key, payment=config
        ),
        retry_safe=True,  # keyed, and the provider is asked with an id derived from the key
    )
    done = outcome.value if outcome.commit else None
    codes = {p.code.value for p in outcome.errors}
    if "PAYMENT_SERVICE_UNAVAILABLE" in codes:
        metrics.observe_refund("UNAVAILABLE")
    elif done is None:
        metrics.observe_refund("REFUSED")
    elif not done.replayed:
        metrics.observe_refund("REQUESTED")
        for tx in done.transactions:
            if tx.status != "PENDING":
                metrics.observe_refund(tx.status)
    txs = [PaymentTransaction.of(t) for t in done.transactions] if done else []
    return RefundOrderPayload(
        order=Order.of(done.order) if done else None,
        transaction=txs[0] if txs else None,
        transactions=txs,
        errors=user_errors(outcome.errors),
    )


async def refund_proposal(
    info: strawberry.Info,
    order_id: strawberry.ID,
    lines: list[RefundLineInput] | None = None,
    shipping: bool = False,
    amount: DecimalText | None = None,
) -> RefundProposalPayload:
    caller = require_operator(info)
    ctx = ctx_of(info)
    async with ctx.read() as session:
        outcome = await refunds.propose(session, caller, str(order_id), _asked(lines, shipping, None), amount)
    proposal = outcome.value if not outcome.errors else None
    return RefundProposalPayload(
        proposal=RefundProposal.of(proposal) if proposal else None, errors=user_errors(outcome.errors)
    )
