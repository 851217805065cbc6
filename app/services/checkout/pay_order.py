"""`payOrder(orderKey, paymentMethodId)`: pay a placed, unpaid order of the caller (AWAITING_PAYMENT, or
REFUSED after a refused attempt). Its own check: the order exists and is the caller's; the rest is the one
placement path (checkout/placement.py), which keeps the order PLACED and moves its payment status to
AUTHORIZATION_PENDING (redirect) until the callback (PAID or REFUSED)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from app.models import Order, utcnow
from app.services.checkout.placement import CheckoutResult, PaymentRequest, payability_problem, paying_once, place
from app.services.common.caller import Caller
from app.services.common.errors import ErrorCode, Problem
from app.services.common.outcome import Outcome, service
from app.services.orders.scope import find_order
from app.services.payments.config import PaymentConfig
from app.services.payments.expiry import expire_due
from app.services.rules.payment_states import Purpose
from app.services.rules.states import is_placed


@dataclass(frozen=True, kw_only=True)
class PayOrderInput(PaymentRequest):
    order_key: str


@service
async def pay_order(
    session: AsyncSession, caller: Caller, inp: PayOrderInput, *, payment: PaymentConfig
) -> Outcome[CheckoutResult]:
    return await paying_once(session, caller, "payOrder", inp, lambda: _pay(session, caller, inp, payment))


async def _pay(session: AsyncSession, caller: Caller, inp: PayOrderInput, config: PaymentConfig) -> Outcome[Order]:
    order = await find_order(session, caller, inp.order_key)
    if order is None:
        return Outcome.refused(Problem(ErrorCode.NOT_FOUND, "order not found", field=("orderKey",)))
    await expire_due(session, utcnow(), order_id=order.id)
    order = await find_order(session, caller, inp.order_key, lock=True)
    assert order is not None
    if not is_placed(order.status):  # a draft, or one waiting for its payment: placeDraftOrder places it
        problem = payability_problem(order)
        assert problem is not None
        return Outcome.refused(problem)
    return await place(
        session, caller, order, inp, purpose=Purpose.ORDER, config=config, method_field=("paymentMethodId",)
    )
