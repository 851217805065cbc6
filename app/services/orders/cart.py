"""The cart: the buyer's current draft, flagged `is_cart`, one per (user, account, store) by a unique
partial index. It is created when first needed; a checkout unflags it (the next `cart` is a fresh one)
and a refused or expired payment flags it again.
"""

from __future__ import annotations

from sqlalchemy import exists, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import Order, OrderLine
from app.services.common.caller import Caller
from app.services.orders.drafts import new_draft


def _cart_of(user_id: str | None, account_id: str | None, store_id: str):  # noqa: ANN202
    return select(Order).where(
        Order.is_cart.is_(True), Order.user_id == user_id, Order.account_id == account_id, Order.store_id == store_id
    )


async def find_cart(session: AsyncSession, caller: Caller, *, lock: bool = False) -> Order | None:
    query = _cart_of(caller.user_id, caller.account_id, caller.store_id).where(Order.tenant_id == caller.tenant_id)
    if lock:
        query = query.with_for_update().execution_options(populate_existing=True)
    return await session.scalar(query)


async def get_or_create_cart(session: AsyncSession, caller: Caller) -> Order:
    """The one write of the `cart` query, made safe: an INSERT under the unique index in a savepoint; a
    concurrent first call that wins makes ours fail, and we read theirs."""
    cart = await find_cart(session, caller)
    if cart is not None:
        return cart
    try:
        async with session.begin_nested():
            return await new_draft(session, caller, is_cart=True)
    except IntegrityError:
        cart = await find_cart(session, caller)
        assert cart is not None  # the other request's cart, committed before our INSERT failed
        return cart


async def restore_cart(session: AsyncSession, order: Order) -> None:
    """Make a draft that came back from a payment the cart again. A cart created meanwhile gives way when it
    is empty; one with lines stays the cart, and this order stays a plain draft (listed in draftOrders)."""
    current = await session.scalar(
        _cart_of(order.user_id, order.account_id, order.store_id).where(Order.id != order.id).with_for_update()
    )
    if current is not None:
        has_lines = await session.scalar(select(exists().where(OrderLine.order_id == current.id)))
        if has_lines:
            return
        await session.delete(current)
        await session.flush()
    order.is_cart = True
