"""Which orders a caller may see, and the lookups every order service starts from.

A buyer sees its account's orders in the effective store; an operator its stores' orders. Anything else
answers exactly as if it did not exist (no existence leak)."""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_, false, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import LogisticOrder, Order
from app.services.access.caller import Caller
from app.services.common.errors import ErrorCode, Problem, Refusal
from app.services.common.ids import valid_id


def scope_clause(caller: Caller) -> ColumnElement[bool]:
    if caller.client == "OPERATOR":
        if not caller.is_operator:
            return false()  # no token: nothing
        return and_(Order.tenant_id == caller.tenant_id, Order.store_id.in_(caller.operator_store_ids))
    if caller.account_id is None:
        return false()
    return and_(
        Order.tenant_id == caller.tenant_id, Order.store_id == caller.store_id, Order.account_id == caller.account_id
    )


def not_found(what: str = "draft order") -> Refusal:
    return Refusal(Problem(ErrorCode.NOT_FOUND, f"{what} not found"))


async def get_order(session: AsyncSession, caller: Caller, order_id: str, *, lock: bool = False) -> Order | None:
    if not valid_id(order_id):
        return None
    query = select(Order).where(Order.id == order_id, scope_clause(caller))
    if lock:
        # populate_existing: the locked read must replace whatever an earlier read left in the session.
        query = query.with_for_update().execution_options(populate_existing=True)
    return await session.scalar(query)


async def find_order(
    session: AsyncSession, caller: Caller, id_or_reference: str, *, lock: bool = False
) -> Order | None:
    """By id or by reference (case-insensitive)."""
    if not valid_id(id_or_reference):
        return None
    query = select(Order).where(
        or_(Order.id == id_or_reference, Order.reference_ci == id_or_reference.lower()), scope_clause(caller)
    )
    if lock:
        query = query.with_for_update().execution_options(populate_existing=True)
    return await session.scalar(query)


async def get_logistic_order(
    session: AsyncSession, caller: Caller, logistic_id: str, *, lock: bool = False
) -> tuple[LogisticOrder, Order] | None:
    if not valid_id(logistic_id):
        return None
    query = (
        select(LogisticOrder, Order)
        .join(Order, Order.id == LogisticOrder.order_id)
        .where(LogisticOrder.id == logistic_id, scope_clause(caller))
    )
    if lock:
        query = query.with_for_update().execution_options(populate_existing=True)
    row = (await session.execute(query)).first()
    return (row[0], row[1]) if row else None
