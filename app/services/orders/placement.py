"""Placement of a draft: re-validate, reserve stock, freeze prices, split per supplier, record.

One unit of work: a refusal at any step rolls back the whole placement (stock, lines, logistic orders,
events, the idempotency record). Stock is reserved with a conditional UPDATE (never below zero), in
offer-id order so concurrent placements touching the same offers cannot deadlock on PostgreSQL.
"""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import LogisticOrder, Order, OrderEvent, new_id, utcnow
from app.services.access.caller import Caller
from app.services.checkout.methods import Content, usable_payment_method
from app.services.common import faults
from app.services.common.errors import ErrorCode, Problem
from app.services.common.idempotency import run_once
from app.services.common.outcome import Outcome, service
from app.services.events import outbox
from app.services.orders import stock
from app.services.orders.scope import get_order, not_found
from app.services.orders.states import (
    LogisticStatus,
    OrderStatus,
    PaymentStatus,
    check_order_move,
    is_placed,
    move_payment,
    placeable,
)
from app.services.payments.attempts import start_payment
from app.services.payments.config import PaymentConfig
from app.services.payments.states import MethodKind, Purpose
from app.services.pricing.evaluation import Evaluation, PricedLine, evaluate, freeze
from app.services.promotions.redemption import redeem
from app.services.sources import operations, quotes


@service
async def place_draft(
    session: AsyncSession,
    caller: Caller,
    order_id: str,
    *,
    payment_method_id: str | None = None,
    idempotency_key: str | None = None,
    expected_version: int | None = None,
    payment: PaymentConfig | None = None,
    return_url: str | None = None,
) -> Outcome[Order]:
    """Place a draft; with a payment method, pay it with the same machinery as the cart: a direct method
    places it (AWAITING_PAYMENT) and records the attempt, a redirect method holds it (PAYMENT_PENDING) until
    the provider's callback."""
    fingerprint = {
        "id": order_id,
        "paymentMethodId": payment_method_id,
        "expectedVersion": expected_version,
        "returnUrl": return_url,
    }
    return await run_once(
        session,
        caller,
        idempotency_key,
        "placeDraftOrder",
        fingerprint,
        lambda: _place(session, caller, order_id, payment_method_id, expected_version, payment, return_url),
    )


async def _place(
    session: AsyncSession,
    caller: Caller,
    order_id: str,
    payment_method_id: str | None,
    expected_version: int | None,
    payment: PaymentConfig | None,
    return_url: str | None,
) -> Outcome[Order]:
    order = await get_order(session, caller, order_id, lock=True)
    if order is None:
        raise not_found()
    if is_placed(order.status) and order.placed_at is not None:
        return Outcome.done(order)  # already placed: same order, nothing reserved again
    if expected_version is not None and expected_version != order.version:
        return Outcome.refused(
            Problem(
                ErrorCode.VERSION_CONFLICT,
                f"the draft is at version {order.version}, not {expected_version}",
                field=("input", "expectedVersion"),
            )
        )
    if not placeable(order.status):
        return Outcome.refused(Problem(ErrorCode.ORDER_NOT_EDITABLE, f"a {order.status} order cannot be placed"))

    ev = (await evaluate(session, caller, [order]))[order.id]
    blocking = ev.blocking + await operations.check_source_at_placement(session, caller, order)
    method = None
    if payment_method_id is not None:
        method, problem = await usable_payment_method(session, caller, payment_method_id, content_of(ev))
        if problem:
            blocking.append(problem)
    if blocking:
        return Outcome.refused(*blocking)

    if caller.has_flag("STOCK_CHECK"):
        await stock.reserve(session, ev.lines)
    await redeem(session, ev)
    await faults.fire("placement.after_stock_reserved")
    if method is not None and method.kind == MethodKind.REDIRECT:
        await hold_for_payment(session, caller.user_email, ev)
    else:
        await record_placement(session, caller.user_email, ev, payment_status=PaymentStatus.AWAITING_PAYMENT)
    if method is not None:
        assert payment is not None, "a payment method needs the payment configuration"
        await start_payment(session, order, method, purpose=Purpose.DRAFT, config=payment, return_url=return_url)
    if order.source_type == "QUOTE" and order.source_id:
        await quotes.mark_quote_validated(session, order.source_id)
    await faults.fire("placement.before_commit")
    await session.flush()
    return Outcome.done(order)


def content_of(ev: Evaluation, *, goods: bool = False) -> Content:
    """What payment methods are checked against: the products and the total of an evaluation; with `goods`,
    what shipping methods are checked against: the goods before shipping (subtotal, order discount, tax)."""
    products = frozenset(pl.info.product.id for pl in ev.lines if pl.info)
    t = ev.totals
    return Content(products, t.total - t.shipping if goods else t.total, ev.order.currency)


async def hold_for_payment(session: AsyncSession, actor: str | None, ev: Evaluation) -> None:
    """Freeze the evaluation and hold the order for a redirect payment: PAYMENT_PENDING, lines locked, stock
    held (reserved by the caller), no logistic order yet; no longer the buyer's cart."""
    order = ev.order
    check_order_move(order.status, OrderStatus.PAYMENT_PENDING)
    await freeze(session, ev)
    order.status = OrderStatus.PAYMENT_PENDING
    move_payment(order, PaymentStatus.AUTHORIZATION_PENDING)
    order.is_cart = False
    session.add(
        OrderEvent(
            order_id=order.id,
            type="PAYMENT_PENDING",
            actor=actor,
            detail=f"{len(ev.lines)} lines, total {ev.totals.total} minor units {order.currency}",
        )
    )


async def record_placement(
    session: AsyncSession, actor: str | None, ev: Evaluation, *, payment_status: PaymentStatus
) -> None:
    """Freeze the evaluation, create one logistic order per supplier and the events, mark the order placed."""
    order = ev.order
    check_order_move(order.status, OrderStatus.PLACED)
    now = utcnow()
    by_supplier: dict[str, list[PricedLine]] = defaultdict(list)
    for pl in ev.lines:
        by_supplier[pl.line.supplier_id].append(pl)
    logistic_rows = []
    line_values: dict[str, dict] = {}
    for n, (supplier_id, priced) in enumerate(sorted(by_supplier.items()), start=1):
        lo_id = new_id()
        logistic_rows.append(
            {
                "id": lo_id,
                "tenant_id": order.tenant_id,
                "order_id": order.id,
                "supplier_id": supplier_id,
                "reference": f"{order.reference}-{n}",
                "status": LogisticStatus.ORDER_CREATED,
                "payment_status": payment_status,
                "incident": False,
                "currency": order.currency,
                "total_amount": sum(pl.total + pl.tax for pl in priced),
                "created_at": now,
                "updated_at": now,
            }
        )
        line_values.update({pl.line.id: {"logistic_order_id": lo_id} for pl in priced})
    await session.execute(insert(LogisticOrder), logistic_rows)
    await freeze(session, ev, line_values=line_values)
    await session.execute(
        insert(OrderEvent).execution_options(render_nulls=True),  # one executemany, nulls included
        [
            {
                "id": new_id(),
                "order_id": order.id,
                "logistic_order_id": None,
                "type": "ORDER_PLACED",
                "at": now,
                "actor": actor,
                "detail": f"{len(ev.lines)} lines, total {ev.totals.total} minor units {order.currency}",
            },
            *(
                {
                    "id": new_id(),
                    "order_id": order.id,
                    "logistic_order_id": row["id"],
                    "type": "LOGISTIC_ORDER_CREATED",
                    "at": now,
                    "actor": actor,
                    "detail": row["reference"],
                }
                for row in logistic_rows
            ),
        ],
    )
    order.status = OrderStatus.PLACED
    move_payment(order, payment_status)
    order.placed_at = now
    order.is_cart = False
    await outbox.emit_order(
        session, outbox.ORDER_PLACED, order, logistic=[LogisticOrder(**row) for row in logistic_rows]
    )
