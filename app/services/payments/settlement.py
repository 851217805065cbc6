"""What an attempt's end does to its order, whoever ends it (a callback, the expiry sweep):

- APPROVED: a checkout or draft waiting for its payment is placed (logistic orders, events) as PAID; a
  placed order paid with payOrder becomes PAID.
- REFUSED or EXPIRED: a checkout or draft goes back to DRAFT with its stock released (a cart checkout is the
  buyer's cart again); a placed order keeps its place, its payment status REFUSED (or back to
  AWAITING_PAYMENT after an expiry).

The attempt's status moves with a conditional UPDATE (PENDING -> end), so two deliveries or a delivery and
the sweep can never both settle it. An attempt that ends unpaid while its provider keeps it open (a Stripe
PaymentIntent) is marked for release after the commit (services/payments/releases.py), unless the caller
knows the provider has released it already.
"""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import Order, OrderEvent, OrderLine, Payment, PaymentEvent, utcnow
from app.services.common.caller import Caller
from app.services.events import outbox
from app.services.orders import stock
from app.services.orders.cart import restore_cart
from app.services.orders.recording import record_placement
from app.services.orders.redemption import give_back
from app.services.payments import ledger
from app.services.payments.releases import mark_due, releases_at_end
from app.services.pricing.evaluation import evaluate
from app.services.purchase_controls import budgets
from app.services.rules.payment_states import AttemptStatus, CaptureMode, Purpose, TransactionKind
from app.services.rules.states import OrderStatus, PaymentStatus, check_order_move, move_payment


async def settle(
    session: AsyncSession,
    payment: Payment,
    order: Order,
    to: AttemptStatus,
    *,
    actor: str,
    detail: str,
    released: bool = False,
) -> bool:
    """End a PENDING attempt and apply it to its order. False when it was no longer pending (nothing done).
    `released`: the provider holds nothing open for it any more (Stripe canceled the intent itself)."""
    now = utcnow()
    moved = await session.execute(
        update(Payment)
        .where(Payment.id == payment.id, Payment.status == AttemptStatus.PENDING)
        .values(status=to, updated_at=now)
    )
    if moved.rowcount != 1:
        return False
    payment.status = to
    if to != AttemptStatus.APPROVED and not released and releases_at_end(payment):
        await mark_due(session, payment, now)
    session.add(PaymentEvent(payment_id=payment.id, type=to.value, detail=detail))
    session.add(OrderEvent(order_id=order.id, type=f"PAYMENT_{to.value}", actor=actor, detail=detail))
    if to == AttemptStatus.APPROVED:
        await _approved(session, payment, order, actor)
    else:
        await _failed(session, payment, order, to)
    await session.flush()
    return True


async def _approved(session: AsyncSession, payment: Payment, order: Order, actor: str) -> None:
    """The provider holds the attempt's amount: an AUTHORIZATION in the ledger, and a CAPTURE with it when the
    method captures automatically. The order's payment status then follows the ledger (PAID, PARTIALLY_PAID
    or AUTHORIZED)."""
    automatic = payment.capture_mode == CaptureMode.AUTOMATIC
    for kind in (
        (TransactionKind.AUTHORIZATION, TransactionKind.CAPTURE) if automatic else (TransactionKind.AUTHORIZATION,)
    ):
        session.add(
            ledger.entry(
                order, kind, payment.amount, payment_id=payment.id, actor=actor, reference=payment.provider_reference
            )
        )
    if payment.purpose != Purpose.ORDER:
        system = Caller.system(order.tenant_id, order.store_id, order.currency)
        ev = (await evaluate(session, system, [order]))[order.id]  # frozen amounts of a PAYMENT_PENDING order
        held = PaymentStatus.PAID if automatic else PaymentStatus.AUTHORIZED
        await record_placement(session, actor, ev, payment_status=held)
    await ledger.follow(session, order)
    order.updated_at = utcnow()
    await outbox.emit_order(session, outbox.ORDER_PAID if automatic else outbox.PAYMENT_AUTHORIZED, order)


async def _failed(session: AsyncSession, payment: Payment, order: Order, to: AttemptStatus) -> None:
    if payment.purpose == Purpose.ORDER:
        move_payment(order, PaymentStatus.REFUSED if to == AttemptStatus.REFUSED else PaymentStatus.AWAITING_PAYMENT)
        order.updated_at = utcnow()
        await ledger.follow(session, order)  # what was received before the attempt still counts (PARTIALLY_PAID)
    else:
        lines = list(await session.scalars(select(OrderLine).where(OrderLine.order_id == order.id)))
        await stock.release(session, lines)
        await give_back(session, order)
        await budgets.release(session, order)  # what its placement spent goes back (docs/b2b.md)
        check_order_move(order.status, OrderStatus.DRAFT)
        order.status = OrderStatus.DRAFT
        move_payment(order, PaymentStatus.NOT_REQUIRED)
        order.version += 1
        order.updated_at = utcnow()
        if payment.purpose == Purpose.CART:
            await restore_cart(session, order)
    if to == AttemptStatus.REFUSED:
        await outbox.emit_order(session, outbox.PAYMENT_REFUSED, order)


async def pending_attempts(session: AsyncSession, order_id: str) -> list[Payment]:
    """The order's attempts still pending, locked (in id order, as every path takes them)."""
    return list(
        await session.scalars(
            select(Payment)
            .where(Payment.order_id == order_id, Payment.status == AttemptStatus.PENDING)
            .order_by(Payment.id)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
    )


async def end_pending(session: AsyncSession, order: Order, attempts: list[Payment], *, actor: str, detail: str) -> None:
    """End the order's pending attempts (from `pending_attempts`) as CANCELED, so that at most one attempt of
    an order is ever live and none outlives its order: a redirect attempt the buyer is on the page of through
    `settle` (its order's payment status moves back as for a refusal; the provider's later answer is refused
    as coming after the end); a direct one (bank wire, pay on delivery: nothing to call back) only ends, the
    order keeps waiting for its money through whatever comes next."""
    for payment in attempts:
        if payment.waits_for_buyer:
            await settle(session, payment, order, AttemptStatus.CANCELED, actor=actor, detail=detail)
        elif await end_direct(session, payment, AttemptStatus.CANCELED, detail=detail):
            session.add(OrderEvent(order_id=order.id, type="PAYMENT_CANCELED", actor=actor, detail=detail))
    await session.flush()


async def end_direct(session: AsyncSession, payment: Payment, to: AttemptStatus, *, detail: str) -> bool:
    """End a PENDING direct attempt (nothing to call back, no order state attached to it) with a conditional
    UPDATE; False when it had already ended."""
    moved = await session.execute(
        update(Payment)
        .where(Payment.id == payment.id, Payment.status == AttemptStatus.PENDING)
        .values(status=to, updated_at=utcnow())
    )
    if moved.rowcount != 1:
        return False
    payment.status = to
    session.add(PaymentEvent(payment_id=payment.id, type=to.value, detail=detail))
    return True
