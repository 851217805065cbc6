"""The one way an operation on an order's money takes its locks: the order's pending attempts first, then the
order row, in the order the provider's callback takes them (payments/callbacks.py). Everything that moves an
order's money (a callback, a cancellation, a capture, a refund, a received payment) serializes on the order
row, on any number of gateway processes; SQLite's single writer does the same."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from app.models import Order, Payment
from app.services.common.caller import Caller
from app.services.common.errors import ErrorCode, Problem, Refusal
from app.services.orders.scope import get_order
from app.services.payments.settlement import pending_attempts
from app.services.rules.states import is_placed


async def locked_order(session: AsyncSession, caller: Caller, key: str) -> tuple[Order, list[Payment]]:
    """The placed (or canceled) order `key` names, locked, with its pending attempts (locked before it).
    Unknown, another tenant's, or still a draft: NOT_FOUND."""
    found = await get_order(session, caller, key)
    if found is None or not is_placed(found.status):
        raise Refusal(Problem(ErrorCode.NOT_FOUND, "order not found", field=("orderId",)))
    attempts = await pending_attempts(session, found.id)
    order = await get_order(session, caller, found.id, lock=True)
    assert order is not None
    return order, attempts
