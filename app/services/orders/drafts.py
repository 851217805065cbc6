"""Draft orders: create, change details (addresses, references, notes, metadata), delete, read, list.

Every edit locks the draft row (SELECT ... FOR UPDATE on PostgreSQL; on SQLite the write transaction
itself is exclusive), checks `expectedVersion`, applies, re-prices through the pricing pipeline (`freeze`)
and bumps `version`. Line edits live in `draft_lines`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import datetime

from sqlalchemy import and_, delete, exists, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import Address, LogisticOrder, Order, OrderMetadata, Payment
from app.services.access.permissions import Permission, require
from app.services.access.viewer import find_account_address
from app.services.common.caller import Caller
from app.services.common.errors import ErrorCode, Problem
from app.services.common.idempotency import run_once
from app.services.common.ids import new_reference
from app.services.common.outcome import Outcome, service
from app.services.common.paging import BadArgument, Window, decode_cursor, encode_cursor
from app.services.events import outbox
from app.services.orders import draft_lines
from app.services.orders.draft_lines import LineRequest
from app.services.orders.editing import locked_draft, reprice
from app.services.orders.scope import get_order, not_found, scope_clause
from app.services.pricing.evaluation import evaluate, freeze
from app.services.rules.methods import usable_shipping_method
from app.services.rules.states import OrderStatus, PaymentStatus, deletable, is_draft

MAX_TEXT = 500
MAX_META_KEY = 100
MAX_META_VALUE = 1000
MAX_META_ENTRIES = 50


@dataclass
class DraftChanges:
    shipping_address_id: str | None = None
    billing_address_id: str | None = None
    shipping_type: str | None = None
    customer_reference: str | None = None
    notes: str | None = None
    metadata: list[tuple[str, str]] | None = None
    shipping_method_id: str | None = None
    cost_centre: str | None = None  # the budget it is charged to (docs/b2b.md)
    # which of the optional fields were given (None given explicitly clears)
    given: frozenset[str] = frozenset()


async def get_draft(session: AsyncSession, caller: Caller, order_id: str) -> Order | None:
    """A draft the caller may see; an order past the draft stage is read with order(id)."""
    order = await get_order(session, caller, order_id)
    return order if order is not None and is_draft(order.status) else None


async def new_draft(
    session: AsyncSession,
    caller: Caller,
    *,
    status: OrderStatus = OrderStatus.DRAFT,
    source: tuple[str, str] | None = None,
    is_cart: bool = False,
) -> Order:
    if not is_cart:  # the cart is read (created empty when first needed) by anyone; filling it is an edit
        require(caller, Permission.EDIT_DRAFTS)
    order = Order(
        tenant_id=caller.tenant_id,
        store_id=caller.store_id,
        account_id=caller.account_id,
        user_id=caller.user_id,
        reference=new_reference(),
        status=status,
        payment_status=PaymentStatus.NOT_REQUIRED,
        version=1,
        currency=caller.currency,
        source_type=source[0] if source else None,
        source_id=source[1] if source else None,
        is_cart=is_cart,
    )
    order.reference_ci = order.reference.lower()
    session.add(order)
    await session.flush()
    return order


def _line_fingerprint(line: LineRequest) -> dict:
    """A line as its idempotency fingerprint sees it: without `sku` when it names none, so a key recorded before
    lines could name a SKU still matches its retry."""
    return {k: v for k, v in asdict(line).items() if k != "sku" or v is not None}


@service
async def create_draft(
    session: AsyncSession,
    caller: Caller,
    changes: DraftChanges | None = None,
    lines: Sequence[LineRequest] = (),
    *,
    idempotency_key: str | None = None,
) -> Outcome[Order]:
    fingerprint = {"changes": asdict(changes) if changes else None, "lines": [_line_fingerprint(ln) for ln in lines]}

    async def work() -> Outcome[Order]:
        order = await new_draft(session, caller)
        if changes is not None:
            problems = await apply_changes(session, caller, order, changes)
            if problems:
                return Outcome.refused(*problems)
        applied = await draft_lines.add(session, caller, order, lines) if lines else None
        # The offers the lines were checked against are priced without being read again.
        await reprice(session, caller, order, bump=False, infos=applied.infos if applied else None)
        errors = applied.errors if applied else []
        return Outcome.done(order, errors=errors)

    return await run_once(session, caller, idempotency_key, "createDraftOrder", fingerprint, work)


@service
async def update_draft(
    session: AsyncSession, caller: Caller, order_id: str, changes: DraftChanges, expected_version: int | None
) -> Outcome[Order]:
    order = await locked_draft(session, caller, order_id, expected_version, lines=False)
    problems = await apply_changes(session, caller, order, changes)
    if problems:
        return Outcome.refused(*problems)  # all or nothing: one bad field changes nothing
    await reprice(session, caller, order)
    return Outcome.done(order)


@service
async def sync_draft(session: AsyncSession, caller: Caller, order_id: str) -> Outcome[Order]:
    """Re-price with today's prices; what changed comes back as warnings."""
    order = await locked_draft(session, caller, order_id, None, lines=False)
    ev = (await evaluate(session, caller, [order]))[order.id]
    warnings = [p for p in ev.issues if p.code == ErrorCode.PRICE_CHANGED]
    await freeze(session, ev)
    return Outcome.done(order, warnings=warnings)


def _text(value: str | None, name: str, limit: int = MAX_TEXT) -> list[Problem]:
    if value is not None and len(value) > limit:
        return [Problem(ErrorCode.INVALID_INPUT, f"{name} is limited to {limit} characters", field=("input", name))]
    return []


async def _address_change(
    session: AsyncSession, caller: Caller, order: Order, address_id: str, kind: str, field_name: str
) -> Address | Problem:
    address = await find_account_address(session, caller.tenant_id, order.account_id, address_id)
    if address is None:
        return Problem(
            ErrorCode.ADDRESS_NOT_FOUND,
            f"no {kind} address {address_id!r} in your account",
            field=("input", field_name),
        )
    if not (address.is_shipping if kind == "shipping" else address.is_billing):
        return Problem(
            ErrorCode.ADDRESS_TYPE_MISMATCH, f"{address_id!r} is not a {kind} address", field=("input", field_name)
        )
    return address


def _metadata_problems(metadata: list[tuple[str, str]]) -> list[Problem]:
    problems = []
    if len(metadata) > MAX_META_ENTRIES:
        problems.append(
            Problem(
                ErrorCode.INVALID_INPUT, f"at most {MAX_META_ENTRIES} metadata entries", field=("input", "metadata")
            )
        )
    for i, (key, value) in enumerate(metadata):
        if not key or len(key) > MAX_META_KEY or len(value) > MAX_META_VALUE:
            problems.append(
                Problem(
                    ErrorCode.INVALID_INPUT,
                    f"metadata keys are 1-{MAX_META_KEY} characters, values {MAX_META_VALUE} at most",
                    field=("input", "metadata", str(i)),
                )
            )
    return problems


_TEXT_FIELDS = {
    "shipping_type": "shippingType",
    "customer_reference": "customerReference",
    "notes": "notes",
    "cost_centre": "costCentre",
}


async def apply_changes(session: AsyncSession, caller: Caller, order: Order, ch: DraftChanges) -> list[Problem]:
    """Apply every given change, or none: the problems found (nothing applied when there are any)."""
    problems: list[Problem] = []
    problems += _text(ch.shipping_type, "shippingType", 50)
    problems += _text(ch.customer_reference, "customerReference", 100)
    problems += _text(ch.notes, "notes")
    problems += _text(ch.cost_centre, "costCentre", 50)
    addresses: dict[str, str | None] = {}
    for field_name, kind in (("shippingAddressId", "shipping"), ("billingAddressId", "billing")):
        if field_name not in ch.given:
            continue
        address_id = ch.shipping_address_id if kind == "shipping" else ch.billing_address_id
        if address_id is None:
            addresses[kind] = None
            continue
        found = await _address_change(session, caller, order, address_id, kind, field_name)
        if isinstance(found, Problem):
            problems.append(found)
        else:
            addresses[kind] = found.id
    shipping_method: tuple[str | None] | None = None
    if "shippingMethodId" in ch.given:
        if ch.shipping_method_id is None:
            shipping_method = (None,)
        else:
            method, problem = await usable_shipping_method(
                session, caller, ch.shipping_method_id, field=("input", "shippingMethodId")
            )
            if problem:
                problems.append(problem)
            else:
                shipping_method = (method.id,)
    if ch.metadata is not None:
        problems += _metadata_problems(ch.metadata)
    if problems:
        return problems
    if shipping_method is not None:
        order.shipping_method_id = shipping_method[0]
    for kind, address_id in addresses.items():
        setattr(order, f"{kind}_address_id", address_id)
    for name, camel in _TEXT_FIELDS.items():
        if camel in ch.given:
            setattr(order, name, getattr(ch, name))
    if ch.metadata is not None:
        # Upsert by key; an empty value removes the key.
        entries = dict(ch.metadata)
        await session.execute(
            delete(OrderMetadata).where(OrderMetadata.order_id == order.id, OrderMetadata.key.in_(list(entries)))
        )
        session.add_all(OrderMetadata(order_id=order.id, key=k, value=v) for k, v in entries.items() if v != "")
    return []


@service
async def delete_draft(session: AsyncSession, caller: Caller, order_id: str) -> Outcome[str]:
    require(caller, Permission.EDIT_DRAFTS)
    order = await get_order(session, caller, order_id, lock=True)
    if order is None:
        raise not_found()
    if not deletable(order.status):
        return Outcome.refused(Problem(ErrorCode.ORDER_DELETE_BLOCKED, f"a {order.status} order cannot be deleted"))
    linked = await session.scalar(
        select(
            or_(
                exists().where(Payment.order_id == order.id),
                exists().where(LogisticOrder.order_id == order.id),
            )
        )
    )
    if linked:
        return Outcome.refused(Problem(ErrorCode.ORDER_DELETE_BLOCKED, "a payment or shipment is linked to this draft"))
    await outbox.emit_order(session, outbox.DRAFT_DELETED, order)
    await session.delete(order)
    return Outcome.done(order.id)


@dataclass
class DraftPage:
    orders: list[Order]
    has_next: bool
    has_previous: bool
    total_count: int | None  # None: not counted (the client did not select totalCount)


async def list_drafts(session: AsyncSession, caller: Caller, page: Window, with_total: bool = True) -> DraftPage:
    """The caller's drafts, newest first (keyset on createdAt, id), forward or backward."""
    clause = and_(scope_clause(caller), Order.status.in_([s for s in OrderStatus if is_draft(s)]))
    total = await session.scalar(select(func.count()).select_from(Order).where(clause)) if with_total else None
    query = select(Order).where(clause)
    if page.cursor:
        at, oid = decode_cursor(page.cursor, 2)
        try:
            at_dt = datetime.fromisoformat(at)
        except (TypeError, ValueError) as exc:
            raise BadArgument("malformed cursor") from exc
        if page.backward:  # newer than the cursor
            query = query.where(or_(Order.created_at > at_dt, and_(Order.created_at == at_dt, Order.id > str(oid))))
        else:
            query = query.where(or_(Order.created_at < at_dt, and_(Order.created_at == at_dt, Order.id < str(oid))))
    order = (Order.created_at.asc(), Order.id.asc()) if page.backward else (Order.created_at.desc(), Order.id.desc())
    rows = list((await session.scalars(query.order_by(*order).limit(page.size + 1))).all())
    more, rows = len(rows) > page.size, rows[: page.size]
    if page.backward:
        rows.reverse()
    has_next, has_previous = page.page_info(more)
    return DraftPage(rows, has_next, has_previous, int(total or 0) if with_total else None)


def draft_cursor(order: Order) -> str:
    return encode_cursor([order.created_at.isoformat(), order.id])
