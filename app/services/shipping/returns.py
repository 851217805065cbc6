"""createReturn: operators record units that came back from the buyer, and whether each goes back to stock.

Rules (docs/orders.md, "Shipments and returns"):
- the order is named by id or reference and must be one the operator may see (else NOT_FOUND); its row is locked
  for the unit of work (shipments lock it too), so two returns of one order never read the same "returned so
  far", and a refund made in the same unit of work is serialized on the order as every refund is;
- every line is a line of that order (else NOT_FOUND), named once, with a positive quantity, and its units
  returned so far plus this quantity stay within what was shipped of it (else RETURN_EXCEEDS_SHIPPED);
- the lines belong to one logistic order: the supplier that shipped them takes them back (else INVALID_INPUT:
  record one return per logistic order);
- restocked units go back to their offer's stock with the stock module's atomic increment (`stock.release`);
- a RETURN_CREATED order event and an `order.returned` webhook carry the return. Statuses do not change.
Refunding is not done here: `record_return` hands the return and its lines to a caller that refunds them in the
same unit of work.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import LogisticOrder, Order, OrderEvent, OrderLine, Return, ReturnLine, Variant, utcnow
from app.services.common.caller import Caller
from app.services.common.errors import ErrorCode, Problem, Refusal
from app.services.events import outbox
from app.services.orders import stock
from app.services.orders.fulfilment import MAX_REASON
from app.services.orders.scope import get_order
from app.services.shipping import quantities
from app.services.shipping.views import PartLine, ReturnView, check_lines, unknown_lines


class ReturnRequestLine(NamedTuple):
    """A requested line of a return: an order line, how many of its shipped units came back, and whether they
    go back to stock."""

    line_id: str
    quantity: int
    restock: bool


@dataclass(frozen=True)
class RecordedReturn:
    """What `record_return` wrote: the return with its lines (order line, quantity, restock) and its order, for a
    caller that refunds them in the same unit of work."""

    view: ReturnView
    order: Order


@dataclass(frozen=True)
class _Restocked:
    offer_id: str
    quantity: int


async def record_return(
    session: AsyncSession,
    caller: Caller,
    order_id: str,
    lines: Sequence[tuple[str, int, bool]],
    reason: str | None = None,
    *,
    return_id: str | None = None,
) -> RecordedReturn:
    """Record a return in the caller's unit of work, or raise `Refusal` (the caller rolls back). `return_id`:
    the id an idempotent caller derived from its key (else a new one)."""
    if not caller.is_operator:
        raise Refusal(Problem(ErrorCode.FORBIDDEN, "operators only"))
    requested = [ReturnRequestLine(*ln) for ln in lines]
    check_lines([r.line_id for r in requested], [r.quantity for r in requested])
    reason = (reason or "").strip() or None
    if reason is not None and len(reason) > MAX_REASON:
        raise Refusal(
            Problem(ErrorCode.INVALID_INPUT, f"reason is limited to {MAX_REASON} characters", field=("input", "reason"))
        )

    order = await get_order(session, caller, order_id, lock=True)
    if order is None:
        raise Refusal(Problem(ErrorCode.NOT_FOUND, "order not found", field=("input", "orderId")))
    ids = [r.line_id for r in requested]
    rows = (
        await session.execute(
            select(OrderLine, Variant.sku)
            .join(Variant, Variant.id == OrderLine.variant_id)
            .where(OrderLine.order_id == order.id, OrderLine.id.in_(ids))
        )
    ).all()
    own = {line.id: (line, sku) for line, sku in rows}
    missing = unknown_lines(ids, set(own), "order")
    if missing:
        raise Refusal(*missing)
    shipped = await quantities.shipped(session, ids)
    returned = await quantities.returned(session, ids)
    over = [
        Problem(
            ErrorCode.RETURN_EXCEEDS_SHIPPED,
            f"{own[r.line_id][1]}: {shipped.get(r.line_id, 0)} shipped, {returned.get(r.line_id, 0)} returned "
            f"already, {r.quantity} more asked",
            field=("input", "lines", "quantity"),
            index=index,
            line_id=r.line_id,
        )
        for index, r in enumerate(requested)
        if returned.get(r.line_id, 0) + r.quantity > shipped.get(r.line_id, 0)
    ]
    if over:
        raise Refusal(*over)
    logistic_ids = {own[r.line_id][0].logistic_order_id for r in requested}
    if len(logistic_ids) != 1:
        raise Refusal(
            Problem(
                ErrorCode.INVALID_INPUT,
                "the lines belong to several logistic orders: record one return per logistic order (each supplier "
                "takes its own goods back)",
                field=("input", "lines"),
            )
        )
    (logistic_id,) = logistic_ids
    assert logistic_id is not None  # shipped lines belong to a logistic order
    reference = await session.scalar(select(LogisticOrder.reference).where(LogisticOrder.id == logistic_id))

    now = utcnow()
    ret = Return(
        **({"id": return_id} if return_id else {}),
        tenant_id=order.tenant_id,
        order_id=order.id,
        logistic_order_id=logistic_id,
        reason=reason,
        created_at=now,
        actor=caller.user_email,
    )
    session.add(ret)
    await session.flush()  # the return's id, for its lines
    session.add_all(
        ReturnLine(return_id=ret.id, order_line_id=r.line_id, quantity=r.quantity, restock=bool(r.restock))
        for r in requested
    )
    await stock.release(session, [_Restocked(own[r.line_id][0].offer_id, r.quantity) for r in requested if r.restock])

    view = ReturnView(ret, [PartLine(r.line_id, r.quantity, own[r.line_id][1], bool(r.restock)) for r in requested])
    units = sum(r.quantity for r in requested)
    restocked = sum(r.quantity for r in requested if r.restock)
    detail = f"{reference}: {units} units in {len(requested)} lines, {restocked} back to stock"
    session.add(
        OrderEvent(
            order_id=order.id,
            logistic_order_id=logistic_id,
            type="RETURN_CREATED",
            at=now,
            actor=caller.user_email,
            detail=detail + (f": {reason}" if reason else ""),
        )
    )
    await outbox.emit_order(session, outbox.ORDER_RETURNED, order, **{"return": view.payload()})
    await session.flush()
    return RecordedReturn(view, order)
