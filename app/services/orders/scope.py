"""Which orders a caller may see, and the lookups every order service starts from.

A buyer sees its account's orders in the effective store; an operator its stores' orders. Anything else
answers exactly as if it did not exist (no existence leak)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import ColumnElement, and_, bindparam, false, func, or_, select
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


def order_key_clause(key: str) -> ColumnElement[bool]:
    """An order (draft or placed) named by its id or its reference, the reference in any case: the one
    rule of every argument that names an order."""
    return or_(Order.id == key, Order.reference_ci == key.lower())


async def get_order(session: AsyncSession, caller: Caller, key: str, *, lock: bool = False) -> Order | None:
    """The order `key` names (id or reference, `order_key_clause`) if the caller may see it."""
    if not valid_id(key):
        return None
    query = select(Order).where(order_key_clause(key), scope_clause(caller))
    if lock:
        # populate_existing: the locked read must replace whatever an earlier read left in the session.
        query = query.with_for_update().execution_options(populate_existing=True)
    return await session.scalar(query)


# The same lookup under the name payOrder's service has always used.
find_order = get_order


def logistic_key_clause(key: str) -> ColumnElement[bool]:
    """A logistic order named by its id or its reference (`<order reference>-<n>`, any case). Ids hold no
    "-": a key with one is a reference, found through its order's indexed reference_ci (the statement
    joins Order)."""
    order_reference, dash, _ = key.rpartition("-")
    if not dash:
        return LogisticOrder.id == key
    return and_(Order.reference_ci == order_reference.lower(), func.lower(LogisticOrder.reference) == key.lower())


async def get_logistic_order(
    session: AsyncSession, caller: Caller, key: str, *, lock: bool = False
) -> tuple[LogisticOrder, Order] | None:
    """The logistic order `key` names (id or reference) and its order, if the caller may see the order."""
    if not valid_id(key):
        return None
    query = (
        select(LogisticOrder, Order)
        .join(Order, Order.id == LogisticOrder.order_id)
        .where(logistic_key_clause(key), scope_clause(caller))
    )
    if lock:
        query = query.with_for_update().execution_options(populate_existing=True)
    row = (await session.execute(query)).first()
    return (row[0], row[1]) if row else None
