"""Draft orders: create, edit (addresses, metadata, lines), sync, delete, read, list.

Every edit locks the draft row (SELECT ... FOR UPDATE on PostgreSQL; on SQLite the write transaction
itself is exclusive), checks `expectedVersion`, applies what is valid, re-prices and bumps `version`.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import and_, delete, exists, false, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import Address, LogisticOrder, Order, OrderLine, OrderMetadata, Payment, utcnow
from app.services import outbox
from app.services.caller import Caller
from app.services.catalog import (
    BadArgument,
    best_offer_for_variants,
    decode_cursor,
    encode_cursor,
    offer_infos,
)
from app.services.errors import ErrorCode, Problem, ServiceError
from app.services.evaluation import DRAFT_STATUSES, EDITABLE, LOCKED_DRAFT, apply_totals, evaluate, source_limits
from app.services.line_rules import ExtraLimits, check_line

MAX_TEXT = 500
MAX_META_KEY = 100
MAX_META_VALUE = 1000
MAX_META_ENTRIES = 50
MAX_LINES_PER_CALL = 200
MAX_ID = 64

_REF_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


@dataclass
class DraftResult:
    order: Order | None
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)


@dataclass
class LineRequest:
    offer_id: str | None
    variant_id: str | None
    quantity: int


@dataclass
class DraftChanges:
    shipping_address_id: str | None = None
    billing_address_id: str | None = None
    shipping_type: str | None = None
    customer_reference: str | None = None
    notes: str | None = None
    metadata: list[tuple[str, str]] | None = None
    # which of the optional fields were given (None given explicitly clears)
    given: frozenset[str] = frozenset()


def new_reference(prefix: str = "ORD") -> str:
    return f"{prefix}-{datetime.now(UTC):%y%m%d}-" + "".join(secrets.choice(_REF_ALPHABET) for _ in range(6))


def not_found(what: str = "draft order") -> ServiceError:
    return ServiceError(Problem(ErrorCode.NOT_FOUND, f"{what} not found"))


def scope_clause(caller: Caller):  # noqa: ANN201
    """Orders the caller may see: a buyer its account's in the effective store, an operator its stores'."""
    if caller.client == "OPERATOR":
        if not caller.is_operator:
            return false()  # no token: nothing
        return and_(Order.tenant_id == caller.tenant_id, Order.store_id.in_(caller.operator_store_ids))
    if caller.account_id is None:
        return false()
    return and_(
        Order.tenant_id == caller.tenant_id, Order.store_id == caller.store_id, Order.account_id == caller.account_id
    )


async def get_order(session: AsyncSession, caller: Caller, order_id: str, *, lock: bool = False) -> Order | None:
    if not order_id or len(order_id) > MAX_ID:
        return None
    query = select(Order).where(Order.id == order_id, scope_clause(caller))
    if lock:
        # populate_existing: the locked read must replace whatever an earlier read left in the session.
        query = query.with_for_update().execution_options(populate_existing=True)
    return await session.scalar(query)


async def get_draft(session: AsyncSession, caller: Caller, order_id: str) -> Order | None:
    """A draft the caller may see; a placed or canceled order is not a draft (read it with order(id))."""
    order = await get_order(session, caller, order_id)
    return order if order is not None and order.status in DRAFT_STATUSES else None


async def _editable(
    session: AsyncSession, caller: Caller, order_id: str, expected_version: int | None, *, lines: bool
) -> tuple[Order, list[Problem]]:
    """Lock the buyer's draft and check version and status. Problems mean: change nothing."""
    order = await get_order(session, caller, order_id, lock=True)
    if order is None or order.status not in DRAFT_STATUSES + ("PLACED", "CANCELED"):
        raise not_found()
    if expected_version is not None and expected_version != order.version:
        return order, [
            Problem(
                ErrorCode.VERSION_CONFLICT,
                f"the draft is at version {order.version}, not {expected_version}: reload it and retry",
                field=("expectedVersion",),
            )
        ]
    allowed = EDITABLE if lines else EDITABLE + LOCKED_DRAFT
    if order.status not in allowed:
        return order, [Problem(ErrorCode.ORDER_NOT_EDITABLE, f"a {order.status} order cannot be changed this way")]
    return order, []


async def _reprice(session: AsyncSession, caller: Caller, order: Order) -> None:
    """Store today's unit prices of the lines and the draft totals, and bump the version."""
    ev = (await evaluate(session, caller, [order]))[order.id]
    for pl in ev.lines:
        pl.line.unit_amount = pl.unit_amount
        pl.line.tax_rate_bp = pl.info.price.tax_rate_bp if pl.info and pl.info.price else pl.line.tax_rate_bp
        pl.line.tax_amount = pl.tax
        pl.line.discount_amount = pl.discount
        pl.line.total_amount = pl.total
    apply_totals(order, ev)
    order.version += 1
    order.updated_at = utcnow()


async def create_draft(
    session: AsyncSession,
    caller: Caller,
    changes: DraftChanges | None = None,
    lines: Sequence[LineRequest] = (),
    *,
    status: str = "DRAFT",
    source: tuple[str, str] | None = None,
    is_cart: bool = False,
) -> DraftResult:
    order = Order(
        tenant_id=caller.tenant_id,
        store_id=caller.store_id,
        account_id=caller.account_id,
        user_id=caller.user_id,
        reference="",
        reference_ci="",
        status=status,
        payment_status="NOT_REQUIRED",
        version=1,
        currency=caller.currency,
        source_type=source[0] if source else None,
        source_id=source[1] if source else None,
        is_cart=is_cart,
    )
    order.reference = new_reference()
    order.reference_ci = order.reference.lower()
    session.add(order)
    await session.flush()
    errors: list[Problem] = []
    if changes is not None:
        errors += await _apply_changes(session, caller, order, changes)
    if errors:
        raise ServiceError(*errors)
    if lines:
        errors += await _add_lines(session, caller, order, lines)
    await _reprice(session, caller, order)
    order.version = 1
    return DraftResult(order, errors)


async def update_draft(
    session: AsyncSession, caller: Caller, order_id: str, changes: DraftChanges, expected_version: int | None
) -> DraftResult:
    order, problems = await _editable(session, caller, order_id, expected_version, lines=False)
    if problems:
        return DraftResult(order, problems)
    problems = await _apply_changes(session, caller, order, changes)
    if problems:
        raise ServiceError(*problems)  # all or nothing: one bad field changes nothing
    await _reprice(session, caller, order)
    return DraftResult(order)


def _text(value: str | None, name: str, limit: int = MAX_TEXT) -> list[Problem]:
    if value is not None and len(value) > limit:
        return [Problem(ErrorCode.INVALID_INPUT, f"{name} is limited to {limit} characters", field=("input", name))]
    return []


async def _apply_changes(session: AsyncSession, caller: Caller, order: Order, ch: DraftChanges) -> list[Problem]:
    problems: list[Problem] = []
    problems += _text(ch.shipping_type, "shippingType", 50)
    problems += _text(ch.customer_reference, "customerReference", 100)
    problems += _text(ch.notes, "notes")
    for field_name, kind in (("shippingAddressId", "shipping"), ("billingAddressId", "billing")):
        if field_name not in ch.given:
            continue
        address_id = ch.shipping_address_id if kind == "shipping" else ch.billing_address_id
        if address_id is None:
            setattr(order, f"{kind}_address_id", None)
            continue
        address = None
        if len(address_id) <= MAX_ID:
            address = await session.scalar(
                select(Address).where(
                    Address.account_id == order.account_id,
                    Address.tenant_id == caller.tenant_id,
                    or_(Address.id == address_id, Address.external_id == address_id),
                )
            )
        if address is None:
            problems.append(
                Problem(
                    ErrorCode.ADDRESS_NOT_FOUND,
                    f"no {kind} address {address_id!r} in your account",
                    field=("input", field_name),
                )
            )
        elif not (address.is_shipping if kind == "shipping" else address.is_billing):
            problems.append(
                Problem(
                    ErrorCode.ADDRESS_TYPE_MISMATCH,
                    f"{address_id!r} is not a {kind} address",
                    field=("input", field_name),
                )
            )
        else:
            setattr(order, f"{kind}_address_id", address.id)
    if ch.metadata is not None:
        if len(ch.metadata) > MAX_META_ENTRIES:
            problems.append(
                Problem(
                    ErrorCode.INVALID_INPUT, f"at most {MAX_META_ENTRIES} metadata entries", field=("input", "metadata")
                )
            )
        for i, (key, value) in enumerate(ch.metadata):
            if not key or len(key) > MAX_META_KEY or len(value) > MAX_META_VALUE:
                problems.append(
                    Problem(
                        ErrorCode.INVALID_INPUT,
                        f"metadata keys are 1-{MAX_META_KEY} characters, values {MAX_META_VALUE} at most",
                        field=("input", "metadata", str(i)),
                    )
                )
    if problems:
        return problems
    for name in ("shipping_type", "customer_reference", "notes"):
        camel = {"shipping_type": "shippingType", "customer_reference": "customerReference", "notes": "notes"}[name]
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


async def add_lines(
    session: AsyncSession,
    caller: Caller,
    order_id: str,
    requests: Sequence[LineRequest],
    expected_version: int | None,
) -> DraftResult:
    order, problems = await _editable(session, caller, order_id, expected_version, lines=True)
    if problems:
        return DraftResult(order, problems)
    limits = (await source_limits(session, [order])).get(order.id)
    errors = await _add_lines(session, caller, order, requests, limits)
    if len(errors) < len(requests) or not requests:
        await _reprice(session, caller, order)
    return DraftResult(order, errors)


async def _add_lines(
    session: AsyncSession,
    caller: Caller,
    order: Order,
    requests: Sequence[LineRequest],
    limits: dict[str, ExtraLimits] | None = None,
) -> list[Problem]:
    """Apply each valid request (merging into the line of the same offer); report each invalid one by index."""
    if len(requests) > MAX_LINES_PER_CALL:
        raise ServiceError(
            Problem(ErrorCode.INVALID_INPUT, f"at most {MAX_LINES_PER_CALL} lines per call", field=("lines",))
        )
    variant_offers = await best_offer_for_variants(
        session,
        caller,
        [r.variant_id for r in requests if r.variant_id and not r.offer_id and len(r.variant_id) <= MAX_ID],
    )
    offer_ids = [r.offer_id or variant_offers.get(r.variant_id or "") for r in requests]
    infos = await offer_infos(session, caller, [o for o in offer_ids if o and len(o) <= MAX_ID])
    existing = {
        ln.offer_id: ln for ln in await session.scalars(select(OrderLine).where(OrderLine.order_id == order.id))
    }
    position = max((ln.position for ln in existing.values()), default=-1) + 1
    stock_check = caller.has_flag("STOCK_CHECK")
    errors: list[Problem] = []
    for index, (req, offer_id) in enumerate(zip(requests, offer_ids, strict=True)):
        field = ("lines", str(index))
        if bool(req.offer_id) == bool(req.variant_id):
            errors.append(
                Problem(ErrorCode.INVALID_INPUT, "give exactly one of offerId and variantId", index=index, field=field)
            )
            continue
        info = infos.get(offer_id or "")
        if info is None and req.variant_id:
            errors.append(
                Problem(
                    ErrorCode.OFFER_UNAVAILABLE, "no offer of this variant can be sold to you", index=index, field=field
                )
            )
            continue
        current = existing.get(offer_id or "")
        quantity = req.quantity + (current.quantity if current else 0) if req.quantity > 0 else req.quantity
        extra = (limits or {}).get(info.variant.id) if info else None
        problems = check_line(info, quantity, stock_check=stock_check, extra=extra, index=index, field=field)
        if problems:
            errors += problems
            continue
        assert info is not None and info.price is not None
        if current is not None:
            current.quantity = quantity
        else:
            line = OrderLine(
                order_id=order.id,
                offer_id=info.offer.id,
                variant_id=info.variant.id,
                supplier_id=info.offer.supplier_id,
                quantity=quantity,
                unit_amount=info.price.unit_for(quantity),
                tax_rate_bp=info.price.tax_rate_bp,
                position=position,
            )
            position += 1
            session.add(line)
            existing[info.offer.id] = line
    await session.flush()
    return errors


async def update_lines(
    session: AsyncSession,
    caller: Caller,
    order_id: str,
    updates: Sequence[tuple[str, int]],
    expected_version: int | None,
) -> DraftResult:
    """Set line quantities; 0 removes the line. Each update is checked on its own."""
    order, problems = await _editable(session, caller, order_id, expected_version, lines=True)
    if problems:
        return DraftResult(order, problems)
    if len(updates) > MAX_LINES_PER_CALL:
        raise ServiceError(Problem(ErrorCode.INVALID_INPUT, f"at most {MAX_LINES_PER_CALL} lines per call"))
    limits = (await source_limits(session, [order])).get(order.id)
    lines = {ln.id: ln for ln in await session.scalars(select(OrderLine).where(OrderLine.order_id == order.id))}
    infos = await offer_infos(session, caller, [ln.offer_id for ln in lines.values()])
    stock_check = caller.has_flag("STOCK_CHECK")
    errors: list[Problem] = []
    applied = 0
    for index, (line_id, quantity) in enumerate(updates):
        field = ("lines", str(index))
        line = lines.get(line_id)
        if line is None:
            errors.append(
                Problem(ErrorCode.LINE_NOT_FOUND, f"no line {line_id!r} in this draft", index=index, field=field)
            )
            continue
        if quantity == 0:
            await session.delete(line)
            del lines[line_id]
            applied += 1
            continue
        info = infos.get(line.offer_id)
        extra = (limits or {}).get(line.variant_id)
        found = check_line(
            info, quantity, stock_check=stock_check, extra=extra, index=index, line_id=line_id, field=field
        )
        if found:
            errors += found
            continue
        line.quantity = quantity
        applied += 1
    if applied:
        await session.flush()
        await _reprice(session, caller, order)
    return DraftResult(order, errors)


async def remove_lines(
    session: AsyncSession, caller: Caller, order_id: str, line_ids: Sequence[str], expected_version: int | None
) -> DraftResult:
    if len(line_ids) > MAX_LINES_PER_CALL:
        raise ServiceError(
            Problem(ErrorCode.INVALID_INPUT, f"at most {MAX_LINES_PER_CALL} lines per call", field=("lineIds",))
        )
    order, problems = await _editable(session, caller, order_id, expected_version, lines=True)
    if problems:
        return DraftResult(order, problems)
    present = set(await session.scalars(select(OrderLine.id).where(OrderLine.order_id == order.id)))
    errors = [
        Problem(ErrorCode.LINE_NOT_FOUND, f"no line {lid!r} in this draft", index=i, field=("lineIds", str(i)))
        for i, lid in enumerate(line_ids)
        if lid not in present
    ]
    to_remove = [lid for lid in line_ids if lid in present]
    if to_remove:
        await session.execute(delete(OrderLine).where(OrderLine.id.in_(to_remove)))
        await _reprice(session, caller, order)
    return DraftResult(order, errors)


async def sync_draft(session: AsyncSession, caller: Caller, order_id: str) -> DraftResult:
    """Re-price with today's prices; what changed comes back as warnings."""
    order, problems = await _editable(session, caller, order_id, None, lines=False)
    if problems:
        return DraftResult(order, problems)
    ev = (await evaluate(session, caller, [order]))[order.id]
    warnings = [p for p in ev.issues if p.code == ErrorCode.PRICE_CHANGED]
    await _reprice(session, caller, order)
    return DraftResult(order, [], warnings)


async def delete_draft(session: AsyncSession, caller: Caller, order_id: str) -> str:
    order = await get_order(session, caller, order_id, lock=True)
    if order is None:
        raise not_found()
    if order.status != "DRAFT":
        raise ServiceError(Problem(ErrorCode.ORDER_DELETE_BLOCKED, f"a {order.status} order cannot be deleted"))
    linked = await session.scalar(
        select(
            or_(
                exists().where(Payment.order_id == order.id),
                exists().where(LogisticOrder.order_id == order.id),
            )
        )
    )
    if linked:
        raise ServiceError(Problem(ErrorCode.ORDER_DELETE_BLOCKED, "a payment or shipment is linked to this draft"))
    await outbox.emit_order(session, outbox.DRAFT_DELETED, order)
    await session.delete(order)
    return order.id


@dataclass
class DraftPage:
    orders: list[Order]
    has_next: bool
    total_count: int


async def list_drafts(session: AsyncSession, caller: Caller, first: int, after: str | None) -> DraftPage:
    """The caller's drafts, newest first (keyset on createdAt, id)."""
    clause = and_(scope_clause(caller), Order.status.in_(DRAFT_STATUSES))
    total = await session.scalar(select(func.count()).select_from(Order).where(clause))
    query = select(Order).where(clause)
    if after:
        at, oid = decode_cursor(after, 2)
        try:
            at_dt = datetime.fromisoformat(at)
        except (TypeError, ValueError) as exc:
            raise BadArgument("malformed cursor") from exc
        query = query.where(or_(Order.created_at < at_dt, and_(Order.created_at == at_dt, Order.id < str(oid))))
    rows = list(
        (await session.scalars(query.order_by(Order.created_at.desc(), Order.id.desc()).limit(first + 1))).all()
    )
    return DraftPage(rows[:first], len(rows) > first, int(total or 0))


def draft_cursor(order: Order) -> str:
    return encode_cursor([order.created_at.isoformat(), order.id])
