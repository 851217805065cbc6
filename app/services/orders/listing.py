"""`orders(filter, sort, first, after)`: filters, forgiving sort parsing, keyset paging valid for any sort.

Sort entries are `field:direction`; malformed or unknown entries are ignored (a bare known field sorts
ascending). Default `createdAt:desc`; `reference` (case-insensitive) ascending is always the final
tie-breaker; nulls sort last in both directions. A cursor names an order; the next page starts after that
order's current position in the requested sort, so a cursor stays valid whatever the sort.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache

from sqlalchemy import ColumnElement, Row, Select, and_, exists, false, func, not_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import Order, OrderMetadata, utcnow
from app.services.common.caller import Caller
from app.services.common.ids import valid_id
from app.services.common.paging import BadArgument, Window, decode_cursor, encode_cursor
from app.services.orders.reads import LineRow, lines_by_order
from app.services.orders.scope import scope_clause, scope_rule, scope_template
from app.services.rules.states import OrderStatus, PaymentStatus, is_draft

SORT_FIELDS = {
    "createdAt": Order.created_at,
    "placedAt": Order.placed_at,
    "updatedAt": Order.updated_at,
    "reference": Order.reference_ci,
    "sourceType": Order.source_type,
    "totalAmount": Order.total_amount,
}
STATUSES = set(OrderStatus)
SOURCE_TYPES = {"QUOTE", "OPERATION", "ORDER", "REQUISITION_LIST"}
MAX_FILTER_VALUES = 100


@dataclass
class OrderFilter:
    statuses: list[str] | None = None
    placed: bool | None = None
    source_types: list[str] | None = None
    source_ids: list[str] | None = None
    created_from: datetime | None = None
    created_to: datetime | None = None
    placed_from: datetime | None = None
    placed_to: datetime | None = None
    reference: str | None = None
    account_ids: list[str] | None = None
    metadata: list[tuple[str, str]] = field(default_factory=list)
    overdue: bool | None = None  # due under payment terms and past, not paid in full (docs/b2b.md)


# Paid in full (refunds aside): an order in these is never overdue.
_SETTLED = (PaymentStatus.PAID, PaymentStatus.PARTIALLY_REFUNDED, PaymentStatus.REFUNDED)


def overdue(order: Order | Row, now: datetime) -> bool:
    """Due under payment terms and past due, placed (not canceled) and not paid in full."""
    return (
        order.payment_due_at is not None
        and order.payment_due_at < now
        and order.status == OrderStatus.PLACED
        and order.payment_status not in _SETTLED
    )


def overdue_clause(now: datetime) -> ColumnElement[bool]:
    return and_(
        Order.payment_due_at.is_not(None),
        Order.payment_due_at < now,
        Order.status == OrderStatus.PLACED,
        Order.payment_status.not_in(list(_SETTLED)),
    )


def parse_sort(entries: list[str] | None) -> list[tuple[str, bool]]:
    """[(field, descending)], ending with reference ascending; malformed entries silently dropped."""
    keys: list[tuple[str, bool]] = []
    seen: set[str] = set()
    for raw in (entries or [])[:20]:
        parts = raw.strip().split(":") if isinstance(raw, str) else []
        if len(parts) == 1:
            parts.append("asc")
        if len(parts) != 2:
            continue
        name, direction = parts[0].strip(), parts[1].strip().lower()
        if name not in SORT_FIELDS or direction not in ("asc", "desc") or name in seen:
            continue
        seen.add(name)
        keys.append((name, direction == "desc"))
    if not keys:
        keys.append(("createdAt", True))
    if "reference" not in seen:
        keys.append(("reference", False))
    return keys


def _filter_clauses(caller: Caller, f: OrderFilter | None) -> list[ColumnElement[bool]]:
    """What the filter narrows the caller's scope to (the scope itself is the statement's, `_page`)."""
    clauses: list[ColumnElement[bool]] = []
    if f is None:
        return clauses
    if f.statuses:
        wanted = [s for s in f.statuses[:MAX_FILTER_VALUES] if s in STATUSES]
        if wanted:
            clauses.append(Order.status.in_(wanted))
    if f.placed is not None:
        clauses.append(Order.placed_at.is_not(None) if f.placed else Order.placed_at.is_(None))
    if f.source_types:
        wanted = [s.upper() for s in f.source_types[:MAX_FILTER_VALUES] if s and s.upper() in SOURCE_TYPES]
        if wanted:
            clauses.append(Order.source_type.in_(wanted))
    if f.source_ids:
        clauses.append(Order.source_id.in_([s for s in f.source_ids[:MAX_FILTER_VALUES] if valid_id(s)]))
    for column, bound, op in (
        (Order.created_at, f.created_from, "ge"),
        (Order.created_at, f.created_to, "le"),
        (Order.placed_at, f.placed_from, "ge"),
        (Order.placed_at, f.placed_to, "le"),
    ):
        if bound is not None:
            clauses.append(column >= bound if op == "ge" else column <= bound)
    if f.reference:
        if len(f.reference) > 100:
            raise BadArgument("filter.reference is limited to 100 characters")
        term = f.reference.strip().lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        clauses.append(Order.reference_ci.like(f"%{term}%", escape="\\"))
    if f.account_ids:
        ids = f.account_ids[:MAX_FILTER_VALUES]
        if caller.is_buyer:
            ids = [a for a in ids if a == caller.account_id]  # others are ignored, not an error
        if ids:
            clauses.append(Order.account_id.in_(ids))
    if f.overdue is not None:
        late = overdue_clause(utcnow())
        clauses.append(late if f.overdue else not_(late))
    if f.metadata:
        clauses.append(
            or_(
                *(
                    exists().where(OrderMetadata.order_id == Order.id, OrderMetadata.key == k, OrderMetadata.value == v)
                    for k, v in f.metadata[:MAX_FILTER_VALUES]
                )
            )
        )
    return clauses


def _beyond(keys: tuple[tuple[str, bool], ...], values: list, order_id: str, backward: bool) -> ColumnElement[bool]:
    """Rows strictly after the cursor row in the sort (nulls last both ways; id settles exact ties), or with
    `backward` strictly before it."""
    columns = [(SORT_FIELDS[name], desc) for name, desc in keys] + [(Order.id, False)]
    values = [*values, order_id]
    alternatives = []
    for i, (col, desc) in enumerate(columns):
        v = values[i]
        if col is Order.id:
            beyond = col < v if backward else col > v
        elif backward:
            # Before a null: every non-null (nulls last); before a value: the values on its near side.
            beyond = col.is_not(None) if v is None else (col > v if desc else col < v)
        else:
            # After a null: nothing (nulls last); after a value: the values on its far side, then the nulls.
            beyond = false() if v is None else or_(col < v if desc else col > v, col.is_(None))
        equal_before = [c.is_(None) if values[j] is None else c == values[j] for j, (c, _) in enumerate(columns[:i])]
        alternatives.append(and_(*equal_before, beyond) if equal_before else beyond)
    return or_(*alternatives)


_COLUMNS = tuple(Order.__table__.columns)


@dataclass
class OrderPage:
    # The listed orders as plain column rows (attribute names are the model's: `Order.id`, `.status`, ...),
    # not ORM entities: a listing reads a page on every request and writes nothing through it.
    orders: list[Row]
    has_next: bool
    has_previous: bool
    total_count: int | None  # None: not counted (the client did not select totalCount)
    # With `with_lines`: the placed orders' lines, read with the page (a draft's come from its evaluation).
    lines: dict[str, list[LineRow]] = field(default_factory=dict)


async def list_orders(
    session: AsyncSession,
    caller: Caller,
    f: OrderFilter | None,
    sort: list[str] | None,
    page: Window,
    with_total: bool = True,
    with_lines: bool = False,
) -> OrderPage:
    keys = tuple(parse_sort(sort))
    kind, values = scope_rule(caller)
    narrowing = _filter_clauses(caller, f)
    total = None
    if with_total:
        counting = select(func.count()).select_from(Order).where(scope_template(kind), *narrowing)
        total = int(await session.scalar(counting, values) or 0)
    if page.cursor:
        (cursor_id,) = decode_cursor(page.cursor, 1)
        if not isinstance(cursor_id, str):
            raise BadArgument("malformed cursor")
        row = (
            await session.execute(
                select(*(SORT_FIELDS[name] for name, _ in keys)).where(Order.id == cursor_id, scope_clause(caller))
            )
        ).first()
        if row is None:
            raise BadArgument("the cursor's order no longer exists: restart from the first page")
        narrowing.append(_beyond(keys, list(row), cursor_id, page.backward))
    query = _page(kind, keys, page.size, page.backward)
    if narrowing:
        query = query.where(*narrowing)
    rows = list((await session.execute(query, values)).all())
    more, rows = len(rows) > page.size, rows[: page.size]
    if page.backward:
        rows.reverse()  # read from the end: shown in the sort's order
    has_next, has_previous = page.page_info(more)
    listed = OrderPage(rows, has_next, has_previous, total)
    placed = [o.id for o in listed.orders if not is_draft(o.status)] if with_lines else []
    if placed:
        listed.lines = await lines_by_order(session, placed)
    return listed


def _order_by(keys: tuple[tuple[str, bool], ...], backward: bool = False) -> list[ColumnElement]:
    """The sort (nulls last both ways), then the id: a total order for cursors. `backward`: the exact reverse
    (read from the end, nulls first)."""
    if backward:
        by = [(SORT_FIELDS[name].asc() if desc else SORT_FIELDS[name].desc()).nulls_first() for name, desc in keys]
        return [*by, Order.id.desc()]
    by = [(SORT_FIELDS[name].desc() if desc else SORT_FIELDS[name].asc()).nulls_last() for name, desc in keys]
    return [*by, Order.id.asc()]


@lru_cache(maxsize=256)
def _page(kind: str, keys: tuple[tuple[str, bool], ...], size: int, backward: bool = False) -> Select:
    """A page's statement for a kind of caller, sort, size and direction, built once (the caller's scope values
    are bound at execution; a filter or a cursor narrows a copy): one row more than the page tells whether
    another follows."""
    return select(*_COLUMNS).where(scope_template(kind)).order_by(*_order_by(keys, backward)).limit(size + 1)


def order_cursor(order: Order | Row) -> str:
    return encode_cursor([order.id])
