"""Cancellations with their money (operators): `cancelOrder` ends a whole order, `transitionLogisticOrder` to
CANCELED or DECLINED_BY_SUPPLIER ends one logistic order. Neither ever keeps money for goods that will not
ship, and each settles it in its own unit of work, through the same refund path as refundOrder
(payments/refunds.py):

- **Captured money** is refunded: the share's units (every unit of its lines not refunded yet, their
  discounts and tax, itemized as refundOrder would) and the shipping when it goes with it; only as much as
  was taken for it (an order paid in part gets back what it paid beyond what its live part still costs).
  The refund is PENDING until the provider's signed callback (money received outside a provider: settled at
  once).
- **Authorized money** (a `card-authorize` payment not yet captured) is voided: the share, or all of it when
  the whole order ends; nothing captured and nothing held any more makes the order VOIDED.
- **Unpaid**, the share is taken off what is due (`canceledAmount`): the outstanding amount shrinks.

A whole order: its live logistic orders are CANCELED, stock and voucher usage go back, `canceledAmount` is the
total. One logistic order: its stock goes back (DECLINED_BY_SUPPLIER too), its share is added to
`canceledAmount`, the shipping goes with the last logistic order to end, and the rest of the order stays
live; when none is left the order is CANCELED as a whole (its voucher usage back). A redirect payment in
progress ends with a cancellation (it asks for an amount no longer owed); a direct attempt ends with the
whole order.

Locks are taken as the payment callback takes them, the attempts first, then the order (then, for a logistic
order, the logistic order): a cancellation and an approval arriving together serialize, whichever
comes first wins, and the order is never CANCELED + PAID (on two processes too: the rows are the locks).
The providers are asked inside the unit of work: unreachable, the cancellation is refused
(PAYMENT_SERVICE_UNAVAILABLE) and nothing changes.
"""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import LogisticOrder, Order, OrderEvent, OrderLine, PaymentTransaction, utcnow
from app.services.checkout.goods_money import move_forward
from app.services.common.caller import Caller
from app.services.common.errors import ErrorCode, Problem, Refusal
from app.services.common.money import to_decimal
from app.services.common.outcome import Outcome, service
from app.services.events import outbox
from app.services.orders import fulfilment, stock
from app.services.orders.fulfilment import MAX_REASON, cancel_placed
from app.services.orders.scope import get_logistic_order, get_order
from app.services.payments import ledger
from app.services.payments.config import PaymentConfig
from app.services.payments.refunds import refund_share
from app.services.payments.settlement import end_pending, pending_attempts
from app.services.payments.shares import order_money, share_of_logistic
from app.services.payments.voids import void_held
from app.services.pricing.refunds import share_of
from app.services.purchase_controls import budgets
from app.services.rules.payment_states import TransactionStatus
from app.services.rules.states import PaymentStatus, cancelable, logistic_ended, move_payment


def _check_reason(reason: str | None) -> None:
    if reason is not None and len(reason) > MAX_REASON:
        raise Refusal(
            Problem(ErrorCode.INVALID_INPUT, f"reason is limited to {MAX_REASON} characters", field=("reason",))
        )


@service
async def cancel_order(
    session: AsyncSession, caller: Caller, order_id: str, reason: str | None, *, payment: PaymentConfig
) -> Outcome[Order]:
    _check_reason(reason)
    found = await get_order(session, caller, order_id)
    if found is None:
        raise Refusal(Problem(ErrorCode.NOT_FOUND, "order not found"))
    attempts = await pending_attempts(session, found.id)  # the callback's lock order: attempts, then the order
    order = await get_order(session, caller, found.id, lock=True)
    assert order is not None
    if not cancelable(order.status):
        raise Refusal(Problem(ErrorCode.ORDER_NOT_CANCELABLE, f"a {order.status} order cannot be canceled"))
    actor = caller.user_email or "operator"
    money = await order_money(session, order)  # as it stands before anything ends
    if attempts:
        await end_pending(session, order, attempts, actor=actor, detail="order canceled")
    order.canceled_amount = order.total_amount
    await cancel_placed(session, caller, order, reason)  # refuses after shipment, before any provider is asked

    # what is left of it: every unit of the lines still live, and the shipping unless refunded already
    asked = {ln.id: money.remaining(ln) for ln in money.lines if not money.ended_line(ln)}
    shipping = 0 if money.shipping_refunded else order.shipping_amount
    share = share_of(money.lines, asked, money.refunded_units, shipping=shipping)
    b = money.balance
    why = reason or "order canceled"
    seed = ("cancel-order",)
    await refund_share(
        session, order, money, share, min(share.total, b.refundable), reason=why, actor=actor, config=payment, seed=seed
    )
    voids = await void_held(session, order, money, b.capturable, reason=why, actor=actor, config=payment, seed=seed)
    await _follow(session, order, voids, still_live=False)
    await session.flush()
    return Outcome.done(order)


@service
async def transition_logistic_order(
    session: AsyncSession, caller: Caller, logistic_id: str, to: str, *, payment: PaymentConfig
) -> Outcome[LogisticOrder]:
    """transitionLogisticOrder: forward moves are fulfilment's; CANCELED and DECLINED_BY_SUPPLIER end the
    logistic order and settle its share."""
    if not logistic_ended(to):
        return await move_forward(session, caller, logistic_id, to, payment=payment)
    found = await get_logistic_order(session, caller, logistic_id)
    if found is None:
        raise Refusal(Problem(ErrorCode.NOT_FOUND, "logistic order not found"))
    # attempts, then the order, then the logistic order: the order every money operation and cancelOrder take
    attempts = await pending_attempts(session, found[1].id)
    order = await get_order(session, caller, found[1].id, lock=True)
    assert order is not None
    lo = await session.scalar(
        select(LogisticOrder)
        .where(LogisticOrder.id == found[0].id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    assert lo is not None
    money = await order_money(session, order)  # before the move: the share is of units not yet settled
    await fulfilment.move_logistic(session, caller, lo, order, to)
    actor = caller.user_email or "operator"

    lines = list(await session.scalars(select(OrderLine).where(OrderLine.logistic_order_id == lo.id)))
    if order.placed_at is not None:
        await stock.release(session, lines)
    share = share_of_logistic(money, lo.id)
    await budgets.release(session, order, share.total)  # its share goes back to the budgets (docs/b2b.md)
    last = not money.live_logistic(besides=lo.id)
    ending_order = last and cancelable(order.status)
    if ending_order:
        if attempts:
            await end_pending(session, order, attempts, actor=actor, detail=f"{lo.reference} {to}")
        order.canceled_amount = order.total_amount
        await fulfilment.end_order(session, caller, order, "every logistic order was canceled or declined")
    else:
        order.canceled_amount = min(order.total_amount, order.canceled_amount + share.total)
        redirects = [p for p in attempts if p.waits_for_buyer]
        if redirects:  # it asks for an amount that is no longer owed
            await end_pending(session, order, redirects, actor=actor, detail=f"{lo.reference} {to}")
    session.add(
        OrderEvent(
            order_id=order.id,
            logistic_order_id=lo.id,
            type="LOGISTIC_SHARE_CANCELED",
            actor=actor,
            detail=f"{lo.reference}: {to_decimal(share.total)} {order.currency} no longer due"
            + (" (shipping included)" if share.includes_shipping else ""),
        )
    )

    b = money.balance
    due = ledger.due(order)
    refund = min(share.total, b.refundable, max(0, b.captured - due))
    why, seed = f"{lo.reference} {to}", ("cancel-logistic", lo.id)
    await refund_share(
        session,
        order,
        money,
        share.share,
        refund,
        reason=why,
        actor=actor,
        config=payment,
        seed=seed,
        logistic_order_id=lo.id,
    )
    release = b.capturable if last else min(share.total - refund, max(0, b.capturable - max(0, due - b.captured)))
    voids = await void_held(
        session, order, money, release, reason=why, actor=actor, config=payment, seed=seed, logistic_order_id=lo.id
    )
    await _follow(session, order, voids, still_live=not ending_order and cancelable(order.status))
    lo.payment_status = order.payment_status  # as `ledger.follow` wrote it for every logistic order
    await session.flush()
    return Outcome.done(lo)


async def _follow(session: AsyncSession, order: Order, voids: list[PaymentTransaction], *, still_live: bool) -> None:
    """The payment status after a cancellation: what the ledger says; VOIDED when a void released the last
    of what was held and nothing was captured. A live order whose smaller due is now covered is `order.paid`."""
    before = order.payment_status
    balance = await ledger.follow(session, order)
    if ledger.status_of(order, balance) is None and any(v.status == TransactionStatus.SUCCEEDED for v in voids):
        move_payment(order, PaymentStatus.VOIDED)
        order.updated_at = utcnow()
        await session.execute(
            update(LogisticOrder).where(LogisticOrder.order_id == order.id).values(payment_status=PaymentStatus.VOIDED)
        )
    elif still_live and order.payment_status == PaymentStatus.PAID and before != PaymentStatus.PAID:
        await outbox.emit_order(session, outbox.ORDER_PAID, order)
