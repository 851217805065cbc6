"""After placement: operators move logistic orders through the state machine, raise incidents, cancel.

Every change records an OrderEvent. Stock goes back with an atomic increment, in offer-id order. The moves
that end a logistic order or the order (and settle their money) are checkout/cancellation.py's, built from
the pieces here.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import LogisticOrder, Order, OrderEvent, OrderLine, utcnow
from app.services.common.caller import Caller
from app.services.common.errors import ErrorCode, Problem, Refusal
from app.services.common.outcome import Outcome, service
from app.services.events import outbox
from app.services.orders import stock
from app.services.orders.redemption import give_back
from app.services.orders.scope import get_logistic_order
from app.services.purchase_controls import budgets
from app.services.rules.states import (
    BEFORE_SHIPMENT,
    LogisticStatus,
    OrderStatus,
    TransitionRefused,
    cancelable,
    check_order_move,
    logistic_ended,
    next_logistic_statuses,
)

MAX_REASON = 1000


def _event(order_id: str, type_: str, caller: Caller, detail: str | None, logistic_id: str | None = None) -> OrderEvent:
    return OrderEvent(
        order_id=order_id,
        logistic_order_id=logistic_id,
        type=type_,
        at=utcnow(),
        actor=caller.user_email,
        detail=detail,
    )


async def _locked_logistic(session: AsyncSession, caller: Caller, logistic_id: str) -> tuple[LogisticOrder, Order]:
    found = await get_logistic_order(session, caller, logistic_id, lock=True)
    if found is None:
        raise Refusal(Problem(ErrorCode.NOT_FOUND, "logistic order not found"))
    return found


async def move_logistic(session: AsyncSession, caller: Caller, lo: LogisticOrder, order: Order, to: str) -> str:
    """Move a locked logistic order through its transition table, with its event and webhook; returns the
    status it left. Outside the table: INVALID_STATUS_TRANSITION."""
    if to not in next_logistic_statuses(lo.status):
        refused = TransitionRefused(lo.status, to, next_logistic_statuses(lo.status))
        raise Refusal(Problem(ErrorCode.INVALID_STATUS_TRANSITION, str(refused), field=("to",)))
    previous = lo.status
    lo.status = to
    lo.updated_at = utcnow()
    session.add(_event(order.id, "LOGISTIC_STATUS_CHANGED", caller, f"{lo.reference}: {previous} -> {to}", lo.id))
    await outbox.emit_order(session, outbox.LOGISTIC_STATUS_CHANGED, order, logisticOrderId=lo.id, previous=previous)
    return previous


async def end_order(session: AsyncSession, caller: Caller, order: Order, detail: str | None) -> None:
    """The order's last live logistic order ended: the order is CANCELED, its voucher and promotion usage
    given back."""
    check_order_move(order.status, OrderStatus.CANCELED)
    order.status = OrderStatus.CANCELED
    await give_back(session, order)
    order.updated_at = utcnow()
    session.add(_event(order.id, "ORDER_CANCELED", caller, detail))
    await outbox.emit_order(session, outbox.ORDER_CANCELED, order)


@service
async def set_incident(
    session: AsyncSession, caller: Caller, logistic_id: str, incident: bool, note: str | None
) -> Outcome[LogisticOrder]:
    if note is not None and len(note) > MAX_REASON:
        raise Refusal(Problem(ErrorCode.INVALID_INPUT, f"note is limited to {MAX_REASON} characters", field=("note",)))
    lo, order = await _locked_logistic(session, caller, logistic_id)
    if lo.incident != incident:
        lo.incident = incident
        lo.updated_at = utcnow()
        session.add(
            _event(
                order.id,
                "INCIDENT_RAISED" if incident else "INCIDENT_CLEARED",
                caller,
                f"{lo.reference}: {note}" if note else lo.reference,
                lo.id,
            )
        )
        await session.flush()
    return Outcome.done(lo)


async def cancel_placed(session: AsyncSession, caller: Caller, order: Order, reason: str | None) -> Order:
    """Cancel a placed order (locked by the caller) before shipment: its live logistic orders, their stock, its
    voucher and promotion usage. Its money is the caller's to settle (checkout/cancellation.py)."""
    if not cancelable(order.status):
        raise Refusal(Problem(ErrorCode.ORDER_NOT_CANCELABLE, f"a {order.status} order cannot be canceled"))
    logistic = list(
        await session.scalars(
            select(LogisticOrder).where(LogisticOrder.order_id == order.id).order_by(LogisticOrder.id).with_for_update()
        )
    )
    shipped = [lo.reference for lo in logistic if lo.status not in BEFORE_SHIPMENT and not logistic_ended(lo.status)]
    if shipped:
        raise Refusal(Problem(ErrorCode.ORDER_NOT_CANCELABLE, f"already shipped or closed: {', '.join(shipped)}"))
    live = [lo for lo in logistic if not logistic_ended(lo.status)]  # an ended one released its stock then
    lines = (
        list(await session.scalars(select(OrderLine).where(OrderLine.logistic_order_id.in_([lo.id for lo in live]))))
        if live
        else []
    )
    await stock.release(session, lines)
    now = utcnow()
    for lo in live:
        session.add(
            _event(order.id, "LOGISTIC_STATUS_CHANGED", caller, f"{lo.reference}: {lo.status} -> CANCELED", lo.id)
        )
        lo.status, lo.updated_at = LogisticStatus.CANCELED, now
    check_order_move(order.status, OrderStatus.CANCELED)
    order.status, order.cancel_reason, order.updated_at = OrderStatus.CANCELED, reason, now
    await give_back(session, order)
    await budgets.release(session, order)  # what it spent goes back to its budgets (docs/b2b.md)
    session.add(_event(order.id, "ORDER_CANCELED", caller, reason))
    await outbox.emit_order(session, outbox.ORDER_CANCELED, order)
    await session.flush()
    return order
