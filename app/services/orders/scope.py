"""Which orders a caller may see, and the lookups every order service starts from.

A buyer sees its account's orders in the effective store; an operator its stores' orders. Anything else
answers exactly as if it did not exist (no existence leak)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import ColumnElement, and_, bindparam, false, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import LogisticOrder, Order
from app.services.common.caller import Caller
from app.services.common.errors import ErrorCode, Problem, Refusal
from app.services.common.ids import valid_id


def _rule(kind: str, value: Callable[[str], Any]) -> ColumnElement[bool]:
    """The rule of a kind of caller, its values given by `value(name)`: the caller's own, or bound
    parameters (`scope_template`, built once, reused by the listing's statements)."""
    if kind == "operator":
        return and_(Order.tenant_id == value("scope_tenant"), Order.store_id.in_(value("scope_stores")))
    if kind == "buyer":
        return and_(
            Order.tenant_id == value("scope_tenant"),
            Order.store_id == value("scope_store"),
            Order.account_id == value("scope_account"),
        )
    return false()  # "none": an operator without a token, a buyer without an account


_TEMPLATES = {
    kind: _rule(kind, lambda name: bindparam(name, expanding=name == "scope_stores"))
    for kind in ("operator", "buyer", "none")
}


def scope_rule(caller: Caller) -> tuple[str, dict[str, object]]:
    """Which orders `caller` may see: the kind of rule ("operator", "buyer" or "none": nothing at all) and
    the caller's values for its clause (`scope_template`)."""
    if caller.is_operator_client:
        if not caller.is_operator:
            return "none", {}
        return "operator", {"scope_tenant": caller.tenant_id, "scope_stores": sorted(caller.operator_store_ids)}
    if caller.account_id is None:
        return "none", {}
    return "buyer", {
        "scope_tenant": caller.tenant_id,
        "scope_store": caller.store_id,
        "scope_account": caller.account_id,
    }


def scope_template(kind: str) -> ColumnElement[bool]:
    """The clause of a kind of rule, with its values as bound parameters (the same object every time)."""
    return _TEMPLATES[kind]


def scope_clause(caller: Caller) -> ColumnElement[bool]:
    """The rule as a clause holding the caller's values, to combine into any statement."""
    kind, values = scope_rule(caller)
    return _rule(kind, values.__getitem__)


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
