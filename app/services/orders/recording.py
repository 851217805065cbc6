"""Recording a placement: freeze the evaluation into the order and its lines, then either hold the order
for a redirect payment (PAYMENT_PENDING) or record it as placed (one logistic order per supplier, events,
the ORDER_PLACED webhook). The decisions (what is checked, what is reserved, which of the two) belong to the
one placement path, app/services/checkout/placement.py; a payment's approval (payments/settlement.py) records
a held order with the same function.
"""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import LogisticOrder, OrderEvent, new_id, utcnow
from app.services.events import outbox
from app.services.pricing.evaluation import Evaluation, PricedLine, freeze
from app.services.rules.methods import Content
from app.services.rules.states import LogisticStatus, OrderStatus, PaymentStatus, check_order_move, move_payment


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
