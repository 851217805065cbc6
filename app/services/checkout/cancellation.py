"""cancelOrder (operators): cancel a placed order before shipment, and never keep money for it.

- A paid order is not canceled: `ORDER_NOT_CANCELABLE` says so (refunds are the way to give its money back,
  and the gateway has none yet: cancelling it would leave the order CANCELED with the money kept).
- A payment in progress ends with the order, in the same unit of work: a redirect attempt the buyer is on the
  page of ends as CANCELED (its provider's later approval is answered 409, recorded on the attempt, and never
  turns the order PAID), a direct one (a bank wire not yet received) ends too.

Locks are taken as the payment callback takes them, the attempts first, then the order: a cancellation and
an approval arriving together serialize, whichever comes first wins, and the order is never CANCELED + PAID
(on two processes too: the rows are the locks).
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from app.models import Order
from app.services.common.caller import Caller
from app.services.common.errors import ErrorCode, Problem, Refusal
from app.services.common.outcome import Outcome, service
from app.services.orders.fulfilment import MAX_REASON, cancel_placed
from app.services.orders.scope import get_order
from app.services.payments import ledger
from app.services.payments.settlement import end_pending, pending_attempts
from app.services.rules.states import cancelable


@service
async def cancel_order(session: AsyncSession, caller: Caller, order_id: str, reason: str | None) -> Outcome[Order]:
    if reason is not None and len(reason) > MAX_REASON:
        raise Refusal(
            Problem(ErrorCode.INVALID_INPUT, f"reason is limited to {MAX_REASON} characters", field=("reason",))
        )
    found = await get_order(session, caller, order_id)
    if found is None:
        raise Refusal(Problem(ErrorCode.NOT_FOUND, "order not found"))
    attempts = await pending_attempts(session, found.id)  # the callback's lock order: attempts, then the order
    order = await get_order(session, caller, found.id, lock=True)
    assert order is not None
    if not cancelable(order.status):
        raise Refusal(Problem(ErrorCode.ORDER_NOT_CANCELABLE, f"a {order.status} order cannot be canceled"))
    held = await ledger.balance(session, order.id)
    if held.captured > 0 or held.capturable > 0:
        message = f"order {order.reference} is paid or authorized: it cannot be canceled without a refund or a void"
        raise Refusal(Problem(ErrorCode.ORDER_NOT_CANCELABLE, message))
    if attempts:
        await end_pending(session, order, attempts, actor=caller.user_email or "operator", detail="order canceled")
    return Outcome.done(await cancel_placed(session, caller, order, reason))
