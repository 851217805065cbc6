"""createShipment: operators record what left the warehouse for one logistic order.

Rules (docs/orders.md, "Shipments and returns"):
- the logistic order is named by id or reference and must be one the operator may see (else NOT_FOUND); its row
  (and its order's) is locked for the unit of work, so two shipments of one logistic order, or a shipment and a
  return of its order, never read the same "shipped so far";
- it must be WAITING_SHIPMENT or PARTIALLY_SHIPPED (`states.shipment_allowed`: where the table allows the move a
  shipment makes), else INVALID_STATUS_TRANSITION; ACCEPTED_BY_SUPPLIER moves to WAITING_SHIPMENT first;
- every line is a line of that logistic order (else NOT_FOUND), named once, with a positive quantity, and its
  units shipped so far plus this quantity stay within what was ordered (else SHIPMENT_EXCEEDS_ORDERED);
- the logistic order then moves through the transition table: SHIPPED when every unit of every line is shipped,
  else PARTIALLY_SHIPPED (a LOGISTIC_STATUS_CHANGED event and webhook when it moves);
- a SHIPMENT_CREATED order event and an `order.shipped` webhook carry the shipment.
A refusal raises before anything is written, and the unit of work is rolled back whatever it did.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import LogisticOrder, Order, OrderEvent, OrderLine, Shipment, ShipmentLine, Variant, utcnow
from app.services.common.caller import Caller
from app.services.common.errors import ErrorCode, Problem, Refusal
from app.services.events import outbox
from app.services.orders.scope import get_logistic_order
from app.services.rules.states import LogisticStatus, next_logistic_statuses, shipment_allowed
from app.services.shipping import quantities
from app.services.shipping.views import PartLine, ShipmentView, check_lines, label, unknown_lines


class ShipLine(NamedTuple):
    """A requested line of a shipment: an order line of the logistic order and how many of its units."""

    line_id: str
    quantity: int


@dataclass(frozen=True)
class RecordedShipment:
    """What `record_shipment` wrote: the shipment with its lines, and the logistic order (its new status) and
    order it belongs to, for a caller that goes on in the same unit of work (a capture at shipment)."""

    view: ShipmentView
    logistic_order: LogisticOrder
    order: Order


def _refused_operators_only(caller: Caller) -> None:
    if not caller.is_operator:
        raise Refusal(Problem(ErrorCode.FORBIDDEN, "operators only"))


async def record_shipment(
    session: AsyncSession,
    caller: Caller,
    logistic_order_id: str,
    lines: Sequence[tuple[str, int]],
    carrier: str,
    tracking_number: str | None = None,
) -> RecordedShipment:
    """Record a shipment in the caller's unit of work, or raise `Refusal` (the caller rolls back)."""
    _refused_operators_only(caller)
    requested = [ShipLine(*ln) for ln in lines]
    check_lines([r.line_id for r in requested], [r.quantity for r in requested])
    carrier_text = label(carrier, "carrier", required=True)
    assert carrier_text is not None
    tracking = label(tracking_number, "trackingNumber", required=False)

    found = await get_logistic_order(session, caller, logistic_order_id, lock=True)
    if found is None:
        raise Refusal(Problem(ErrorCode.NOT_FOUND, "logistic order not found", field=("input", "logisticOrderId")))
    lo, order = found
    if not shipment_allowed(lo.status):
        raise Refusal(
            Problem(
                ErrorCode.INVALID_STATUS_TRANSITION,
                f"{lo.reference} is {lo.status}: a shipment is recorded in WAITING_SHIPMENT or PARTIALLY_SHIPPED "
                f"(allowed next states: {', '.join(next_logistic_statuses(lo.status)) or 'none (final state)'})",
                field=("input", "logisticOrderId"),
            )
        )

    # Every line of the logistic order (the whole of it decides SHIPPED), with its SKU, and what was shipped.
    rows = (
        await session.execute(
            select(OrderLine, Variant.sku)
            .join(Variant, Variant.id == OrderLine.variant_id)
            .where(OrderLine.logistic_order_id == lo.id)
            .order_by(OrderLine.position, OrderLine.id)
        )
    ).all()
    own = {line.id: (line, sku) for line, sku in rows}
    missing = unknown_lines([r.line_id for r in requested], set(own), "logistic order")
    if missing:
        raise Refusal(*missing)
    shipped = await quantities.shipped(session, list(own))
    over = [
        Problem(
            ErrorCode.SHIPMENT_EXCEEDS_ORDERED,
            f"{own[r.line_id][1]}: {own[r.line_id][0].quantity} ordered, {shipped.get(r.line_id, 0)} shipped "
            f"already, {r.quantity} more asked",
            field=("input", "lines", "quantity"),
            index=index,
            line_id=r.line_id,
        )
        for index, r in enumerate(requested)
        if shipped.get(r.line_id, 0) + r.quantity > own[r.line_id][0].quantity
    ]
    if over:
        raise Refusal(*over)

    now = utcnow()
    shipment = Shipment(
        tenant_id=order.tenant_id,
        order_id=order.id,
        logistic_order_id=lo.id,
        carrier=carrier_text,
        tracking_number=tracking,
        created_at=now,
        actor=caller.user_email,
    )
    session.add(shipment)
    await session.flush()  # the shipment's id, for its lines
    session.add_all(
        ShipmentLine(shipment_id=shipment.id, order_line_id=r.line_id, quantity=r.quantity) for r in requested
    )
    for r in requested:
        shipped[r.line_id] = shipped.get(r.line_id, 0) + r.quantity

    view = ShipmentView(shipment, [PartLine(r.line_id, r.quantity, own[r.line_id][1]) for r in requested])
    units = sum(r.quantity for r in requested)
    detail = f"{lo.reference}: {units} units in {len(requested)} lines by {carrier_text}"
    session.add(_event(order, lo, "SHIPMENT_CREATED", caller, detail + (f", tracking {tracking}" if tracking else "")))

    complete = all(shipped.get(line_id, 0) >= line.quantity for line_id, (line, _) in own.items())
    await _move(session, caller, order, lo, LogisticStatus.SHIPPED if complete else LogisticStatus.PARTIALLY_SHIPPED)
    await outbox.emit_order(session, outbox.ORDER_SHIPPED, order, shipment=view.payload())
    await session.flush()
    return RecordedShipment(view, lo, order)


async def _move(session: AsyncSession, caller: Caller, order: Order, lo: LogisticOrder, to: LogisticStatus) -> None:
    """Move the logistic order through the transition table, recorded as `transitionLogisticOrder` records it
    (app/services/orders/fulfilment.py); staying where it is (PARTIALLY_SHIPPED again) is no move."""
    if lo.status == to:
        return
    if to not in next_logistic_statuses(lo.status):  # shipment_allowed was checked: the table allows it
        raise AssertionError(f"{lo.status} -> {to} is not in the transition table")
    previous = lo.status
    lo.status, lo.updated_at = to, utcnow()
    session.add(_event(order, lo, "LOGISTIC_STATUS_CHANGED", caller, f"{lo.reference}: {previous} -> {to}"))
    await outbox.emit_order(session, outbox.LOGISTIC_STATUS_CHANGED, order, logisticOrderId=lo.id, previous=previous)


def _event(order: Order, lo: LogisticOrder, type_: str, caller: Caller, detail: str) -> OrderEvent:
    return OrderEvent(
        order_id=order.id, logistic_order_id=lo.id, type=type_, at=utcnow(), actor=caller.user_email, detail=detail
    )
