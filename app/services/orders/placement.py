"""Placement of a draft: re-validate, reserve stock, freeze prices, split per supplier, record.

One unit of work: a refusal at any step rolls back the whole placement (stock, lines, logistic orders,
events, the idempotency record). Stock is reserved with a conditional UPDATE (never below zero), in
offer-id order so concurrent placements touching the same offers cannot deadlock on PostgreSQL.
"""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import insert, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import LogisticOrder, Offer, Order, OrderEvent, new_id, utcnow
from app.services.access.caller import Caller
from app.services.common import faults
from app.services.common.errors import ErrorCode, Problem, Refusal
from app.services.common.idempotency import run_once
from app.services.common.outcome import Outcome, service
from app.services.events import outbox
from app.services.orders.scope import get_order, not_found
from app.services.orders.states import (
    LogisticStatus,
    OrderStatus,
    PaymentStatus,
    check_order_move,
    is_placed,
    placeable,
)
from app.services.pricing.evaluation import Evaluation, PricedLine, evaluate, freeze
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
) -> Outcome[Order]:
    fingerprint = {"id": order_id, "paymentMethodId": payment_method_id, "expectedVersion": expected_version}
    return await run_once(
        session,
        caller,
        idempotency_key,
        "placeDraftOrder",
        fingerprint,
        lambda: _place(session, caller, order_id, payment_method_id, expected_version),
    )


async def _place(
    session: AsyncSession, caller: Caller, order_id: str, payment_method_id: str | None, expected_version: int | None
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
    if payment_method_id is not None:
        # No payment method is configured yet: any given one is unavailable.
        blocking.append(
            Problem(
                ErrorCode.PAYMENT_METHOD_UNAVAILABLE,
                "this payment method is not available",
                field=("input", "paymentMethodId"),
            )
        )
    if blocking:
        return Outcome.refused(*blocking)

    if caller.has_flag("STOCK_CHECK"):
        await reserve_stock(session, ev.lines)
    await faults.fire("placement.after_stock_reserved")
    await _record_placement(session, caller, ev)
    if order.source_type == "QUOTE" and order.source_id:
        await quotes.mark_quote_validated(session, order.source_id)
    await faults.fire("placement.before_commit")
    await session.flush()
    return Outcome.done(order)


async def reserve_stock(session: AsyncSession, lines: list[PricedLine]) -> None:
    """Take each line's quantity from its offer's stock, never below zero, or refuse the unit of work."""
    for pl in sorted(lines, key=lambda pl: pl.line.offer_id):
        reserved = await session.execute(
            update(Offer)
            .where(Offer.id == pl.line.offer_id, Offer.stock >= pl.line.quantity)
            .values(stock=Offer.stock - pl.line.quantity)
        )
        if reserved.rowcount != 1:
            sku = pl.info.variant.sku if pl.info else pl.line.offer_id
            raise Refusal(Problem(ErrorCode.INSUFFICIENT_STOCK, f"{sku}: not enough stock left", line_id=pl.line.id))


async def _record_placement(session: AsyncSession, caller: Caller, ev: Evaluation) -> None:
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
                "payment_status": PaymentStatus.AWAITING_PAYMENT,
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
    actor = caller.user_email
    await session.execute(
        insert(OrderEvent),
        [
            {
                "id": new_id(),
                "order_id": order.id,
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
    order.payment_status = PaymentStatus.AWAITING_PAYMENT
    order.placed_at = now
    order.is_cart = False
    await outbox.emit_order(session, outbox.ORDER_PLACED, order)
