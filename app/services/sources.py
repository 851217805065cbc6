"""Start sources: quotes (negotiated prices, one account) and operations (time-boxed campaigns).

Both land in a draft that obeys today's rules: lines that cannot be bought now are skipped with a warning.
An ACTIVE operation past its end date behaves as INACTIVE, computed at read time (no background job).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, delete, exists, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import (
    Account,
    Offer,
    Operation,
    OperationAccount,
    OperationLine,
    Order,
    OrderLine,
    Quote,
    QuoteLine,
    Variant,
    utcnow,
)
from app.services.caller import Caller
from app.services.catalog import best_offer_for_variants, offer_infos, visible_product_ids
from app.services.drafts import DraftResult, create_draft, new_reference
from app.services.errors import ErrorCode, Problem, ServiceError
from app.services.evaluation import DRAFT_STATUSES, apply_totals, evaluate
from app.services.line_rules import ExtraLimits, check_line
from app.services.money import MAX_QUANTITY, quantity_in_range

MAX_ID = 64
MAX_SOURCE_LINES = 500
MAX_LINKED_ACCOUNTS = 1000
QUOTE_TRANSITIONS = {
    "send": ({"NEW", "WAITING_FOR_SUPPLIER_INFORMATION"}, "WAITING_FOR_CUSTOMER"),
    "decline": ({"NEW", "WAITING_FOR_SUPPLIER_INFORMATION", "WAITING_FOR_CUSTOMER"}, "DECLINED_BY_SUPPLIER"),
}
QUOTE_EDITABLE = {"NEW", "WAITING_FOR_SUPPLIER_INFORMATION"}


def _ok_id(value: str | None) -> bool:
    return bool(value) and len(value) <= MAX_ID


# ---- quotes ---------------------------------------------------------------------------------------


def _quote_scope(caller: Caller):  # noqa: ANN202
    if caller.client == "OPERATOR":
        return and_(Quote.tenant_id == caller.tenant_id, Quote.store_id.in_(caller.operator_store_ids))
    return and_(Quote.tenant_id == caller.tenant_id, Quote.account_id == (caller.account_id or ""))


async def get_quote(session: AsyncSession, caller: Caller, quote_id: str, *, lock: bool = False) -> Quote | None:
    if not _ok_id(quote_id):
        return None
    q = select(Quote).where(or_(Quote.id == quote_id, Quote.external_id == quote_id), _quote_scope(caller))
    if lock:
        q = q.with_for_update().execution_options(populate_existing=True)
    return await session.scalar(q)


def effective_quote_status(quote: Quote, now: datetime) -> str:
    if quote.status in ("NEW", "WAITING_FOR_SUPPLIER_INFORMATION", "WAITING_FOR_CUSTOMER") and (
        quote.expires_at is not None and quote.expires_at <= now
    ):
        return "EXPIRED"
    return quote.status


async def list_quotes(session: AsyncSession, caller: Caller, first: int, offset: int) -> tuple[list[Quote], int]:
    clause = _quote_scope(caller)
    if caller.client == "ACCOUNT":
        clause = and_(clause, Quote.store_id == caller.store_id)
    total = await session.scalar(select(func.count()).select_from(Quote).where(clause))
    rows = await session.scalars(
        select(Quote).where(clause).order_by(Quote.created_at.desc(), Quote.id).offset(offset).limit(first)
    )
    return list(rows), int(total or 0)


async def quote_lines(session: AsyncSession, quote_ids: Sequence[str]) -> dict[str, list[QuoteLine]]:
    grouped: dict[str, list[QuoteLine]] = defaultdict(list)
    for ln in await session.scalars(
        select(QuoteLine).where(QuoteLine.quote_id.in_(quote_ids)).order_by(QuoteLine.position, QuoteLine.id)
    ):
        grouped[ln.quote_id].append(ln)
    return grouped


async def create_draft_from_quote(session: AsyncSession, caller: Caller, quote_id: str) -> DraftResult:
    quote = await get_quote(session, caller, quote_id, lock=True)
    if quote is None:
        raise ServiceError(Problem(ErrorCode.NOT_FOUND, "quote not found"))
    live = await session.scalar(
        select(Order).where(
            Order.source_type == "QUOTE",
            Order.source_id == quote.id,
            Order.status.in_(DRAFT_STATUSES),
            Order.account_id == caller.account_id,
        )
    )
    if live is not None:
        return DraftResult(live)  # a quote feeds at most one live draft
    now = utcnow()
    status = effective_quote_status(quote, now)
    if status != "WAITING_FOR_CUSTOMER" or quote.store_id != caller.store_id:
        reason = f"the quote is {status}" if status != "WAITING_FOR_CUSTOMER" else "the quote is for another store"
        raise ServiceError(Problem(ErrorCode.QUOTE_NOT_ELIGIBLE, reason))
    lines = (await quote_lines(session, [quote.id]))[quote.id]
    infos = await offer_infos(session, caller, [ln.offer_id for ln in lines])
    stock_check = caller.has_flag("STOCK_CHECK")
    kept, warnings = [], []
    for i, ln in enumerate(lines):
        problems = check_line(infos.get(ln.offer_id), ln.quantity, stock_check=stock_check, index=i)
        if problems:
            sku = infos[ln.offer_id].variant.sku if ln.offer_id in infos else ln.offer_id
            warnings += [Problem(p.code, f"{sku} skipped: {p.message}", index=i, blocking=False) for p in problems]
        else:
            kept.append(ln)
    if not kept:
        raise ServiceError(Problem(ErrorCode.NO_LINES_AVAILABLE, "no line of this quote can be bought now"), *warnings)
    result = await create_draft(session, caller, status="DRAFT_ON_HOLD", source=("QUOTE", quote.id))
    order = result.order
    session.add_all(
        OrderLine(
            order_id=order.id,
            offer_id=ln.offer_id,
            variant_id=infos[ln.offer_id].variant.id,
            supplier_id=infos[ln.offer_id].offer.supplier_id,
            quantity=ln.quantity,
            unit_amount=ln.unit_amount,
            agreed_unit_amount=ln.unit_amount,
            tax_rate_bp=infos[ln.offer_id].price.tax_rate_bp,
            position=pos,
        )
        for pos, ln in enumerate(kept)
    )
    await session.flush()
    ev = (await evaluate(session, caller, [order]))[order.id]
    apply_totals(order, ev)
    return DraftResult(order, [], warnings)


async def mark_quote_validated(session: AsyncSession, quote_id: str) -> None:
    quote = await session.get(Quote, quote_id)
    if quote is not None:
        quote.status = "VALIDATED"


# ---- operations -----------------------------------------------------------------------------------


def effective_operation_status(op: Operation, now: datetime) -> str:
    if op.status == "ACTIVE" and op.ends_at is not None and op.ends_at <= now:
        return "INACTIVE"
    return op.status


async def _linked(session: AsyncSession, operation_id: str, account_id: str | None) -> bool:
    if account_id is None:
        return False
    return bool(
        await session.scalar(
            select(
                exists().where(OperationAccount.operation_id == operation_id, OperationAccount.account_id == account_id)
            )
        )
    )


async def usable_operation(session: AsyncSession, caller: Caller, op: Operation) -> bool:
    """Active, in its window, in the effective store, public or linked to the caller's account."""
    now = utcnow()
    return (
        effective_operation_status(op, now) == "ACTIVE"
        and op.starts_at <= now
        and op.store_id == caller.store_id
        and (op.type == "PUBLIC" or await _linked(session, op.id, caller.account_id))
    )


async def get_operation(session: AsyncSession, caller: Caller, operation_id: str) -> Operation | None:
    """For an operator: any operation of its stores. For a buyer: only one it may use now."""
    if not _ok_id(operation_id):
        return None
    op = await session.scalar(
        select(Operation).where(
            or_(Operation.id == operation_id, Operation.external_id == operation_id),
            Operation.tenant_id == caller.tenant_id,
        )
    )
    if op is None:
        return None
    if caller.client == "OPERATOR":
        return op if op.store_id in caller.operator_store_ids else None
    return op if await usable_operation(session, caller, op) else None


async def list_operations(session: AsyncSession, caller: Caller, first: int, offset: int) -> tuple[list, int]:
    clause = Operation.tenant_id == caller.tenant_id
    if caller.client == "OPERATOR":
        clause = and_(clause, Operation.store_id.in_(caller.operator_store_ids))
    else:
        now = utcnow()
        linked = exists().where(
            OperationAccount.operation_id == Operation.id, OperationAccount.account_id == (caller.account_id or "")
        )
        clause = and_(
            clause,
            Operation.store_id == caller.store_id,
            Operation.status == "ACTIVE",
            Operation.starts_at <= now,
            or_(Operation.ends_at.is_(None), Operation.ends_at > now),
            or_(Operation.type == "PUBLIC", linked),
        )
    total = await session.scalar(select(func.count()).select_from(Operation).where(clause))
    rows = await session.scalars(
        select(Operation).where(clause).order_by(Operation.starts_at.desc(), Operation.id).offset(offset).limit(first)
    )
    return list(rows), int(total or 0)


async def operation_lines(session: AsyncSession, caller: Caller, op_ids: Sequence[str]) -> dict:
    """Lines per operation; a buyer gets only the lines whose product it can see."""
    rows = (
        await session.execute(
            select(OperationLine, Variant)
            .join(Variant, Variant.id == OperationLine.variant_id)
            .where(OperationLine.operation_id.in_(op_ids))
            .order_by(OperationLine.position, OperationLine.id)
        )
    ).all()
    visible = (
        await visible_product_ids(session, caller, [v.product_id for _, v in rows])
        if caller.client == "ACCOUNT"
        else {v.product_id for _, v in rows}
    )
    grouped: dict[str, list] = defaultdict(list)
    for line, variant in rows:
        if variant.product_id in visible:
            grouped[line.operation_id].append((line, variant))
    return grouped


async def create_draft_from_operation(
    session: AsyncSession, caller: Caller, operation_id: str, full: bool
) -> DraftResult:
    if not caller.has_flag("OPERATIONS"):
        raise ServiceError(Problem(ErrorCode.FEATURE_DISABLED, "operations are not enabled for this tenant"))
    op = None
    if _ok_id(operation_id):
        op = await session.scalar(
            select(Operation).where(
                or_(Operation.id == operation_id, Operation.external_id == operation_id),
                Operation.tenant_id == caller.tenant_id,
            )
        )
    if op is None or not await usable_operation(session, caller, op):
        raise ServiceError(Problem(ErrorCode.OPERATION_NOT_AVAILABLE, "this operation is not available to you"))
    if not full:
        return await create_draft(session, caller, source=("OPERATION", op.id))
    all_lines = (
        await session.execute(
            select(OperationLine, Variant)
            .join(Variant, Variant.id == OperationLine.variant_id)
            .where(OperationLine.operation_id == op.id)
            .order_by(OperationLine.position, OperationLine.id)
        )
    ).all()
    chosen = await best_offer_for_variants(session, caller, [v.id for _, v in all_lines])
    infos = await offer_infos(session, caller, chosen.values())
    stock_check = caller.has_flag("STOCK_CHECK")
    kept, warnings = [], []
    for i, (ln, variant) in enumerate(all_lines):
        qty = ln.recommended_quantity or ln.min_quantity or 1
        info = infos.get(chosen.get(variant.id, ""))
        problems = check_line(
            info, qty, stock_check=stock_check, extra=ExtraLimits(ln.min_quantity, ln.max_quantity), index=i
        )
        if info is None and not problems:
            problems = [Problem(ErrorCode.OFFER_UNAVAILABLE, "no offer", index=i)]
        if problems:
            warnings += [
                Problem(p.code, f"{variant.sku} skipped: {p.message}", index=i, blocking=False) for p in problems
            ]
        else:
            kept.append((info, qty))
    if not kept:
        raise ServiceError(
            Problem(ErrorCode.NO_ELIGIBLE_LINES, "no line of this operation can be bought now"), *warnings
        )
    result = await create_draft(session, caller, source=("OPERATION", op.id))
    order = result.order
    session.add_all(
        OrderLine(
            order_id=order.id,
            offer_id=info.offer.id,
            variant_id=info.variant.id,
            supplier_id=info.offer.supplier_id,
            quantity=qty,
            unit_amount=info.price.unit_for(qty),
            tax_rate_bp=info.price.tax_rate_bp,
            position=pos,
        )
        for pos, (info, qty) in enumerate(kept)
    )
    await session.flush()
    ev = (await evaluate(session, caller, [order]))[order.id]
    apply_totals(order, ev)
    return DraftResult(order, [], warnings)


async def check_source_at_placement(session: AsyncSession, caller: Caller, order: Order) -> list[Problem]:
    if order.source_type == "OPERATION" and order.source_id:
        op = await session.get(Operation, order.source_id)
        if op is None or not caller.has_flag("OPERATIONS") or not await usable_operation(session, caller, op):
            return [Problem(ErrorCode.OPERATION_NOT_AVAILABLE, "the operation of this draft is no longer available")]
    return []


# ---- operator management --------------------------------------------------------------------------


@dataclass
class QuoteLineInput:
    offer_id: str
    quantity: int
    unit_amount: int


def _too_many(items: Sequence, limit: int, name: str) -> None:
    if len(items) > limit:
        raise ServiceError(Problem(ErrorCode.INVALID_INPUT, f"at most {limit} {name}", field=("input", name)))


def _quote_line_problems(lines: Sequence[QuoteLineInput]) -> list[Problem]:
    _too_many(lines, MAX_SOURCE_LINES, "lines")
    return [
        Problem(
            ErrorCode.INVALID_INPUT,
            f"quantity must be 1 to {MAX_QUANTITY} and the unit price not negative",
            index=i,
            field=("lines", str(i)),
        )
        for i, ln in enumerate(lines)
        if not quantity_in_range(ln.quantity) or ln.unit_amount < 0
    ]


async def _replace_quote_lines(
    session: AsyncSession, caller: Caller, quote: Quote, lines: Sequence[QuoteLineInput]
) -> None:
    problems = _quote_line_problems(lines)
    known = set(
        await session.scalars(
            select(Offer.id).where(
                Offer.id.in_([ln.offer_id for ln in lines if _ok_id(ln.offer_id)]), Offer.tenant_id == caller.tenant_id
            )
        )
    )
    problems += [
        Problem(ErrorCode.OFFER_UNAVAILABLE, "no such offer", index=i, field=("lines", str(i)))
        for i, ln in enumerate(lines)
        if ln.offer_id not in known
    ]
    if problems:
        raise ServiceError(*problems)
    await session.execute(delete(QuoteLine).where(QuoteLine.quote_id == quote.id))
    session.add_all(
        QuoteLine(quote_id=quote.id, offer_id=ln.offer_id, quantity=ln.quantity, unit_amount=ln.unit_amount, position=i)
        for i, ln in enumerate(lines)
    )


async def create_quote(
    session: AsyncSession,
    caller: Caller,
    account_id: str,
    name: str | None,
    expires_at: datetime | None,
    lines: Sequence[QuoteLineInput],
) -> Quote:
    account = (
        await session.scalar(
            select(Account).where(
                or_(Account.id == account_id, Account.external_id == account_id), Account.tenant_id == caller.tenant_id
            )
        )
        if _ok_id(account_id)
        else None
    )
    if account is None:
        raise ServiceError(Problem(ErrorCode.NOT_FOUND, "account not found", field=("input", "accountId")))
    quote = Quote(
        tenant_id=caller.tenant_id,
        account_id=account.id,
        store_id=caller.store_id,
        external_id=new_reference("Q"),
        name=(name or "")[:200] or None,
        status="NEW",
        currency=caller.currency,
        expires_at=expires_at,
    )
    session.add(quote)
    await session.flush()
    await _replace_quote_lines(session, caller, quote, lines)
    await session.flush()
    return quote


async def update_quote_lines(
    session: AsyncSession, caller: Caller, quote_id: str, lines: Sequence[QuoteLineInput]
) -> Quote:
    quote = await get_quote(session, caller, quote_id, lock=True)
    if quote is None:
        raise ServiceError(Problem(ErrorCode.NOT_FOUND, "quote not found"))
    if quote.status not in QUOTE_EDITABLE:
        raise ServiceError(Problem(ErrorCode.QUOTE_NOT_EDITABLE, f"a {quote.status} quote cannot be changed"))
    await _replace_quote_lines(session, caller, quote, lines)
    await session.flush()
    return quote


async def move_quote(session: AsyncSession, caller: Caller, quote_id: str, action: str) -> Quote:
    quote = await get_quote(session, caller, quote_id, lock=True)
    if quote is None:
        raise ServiceError(Problem(ErrorCode.NOT_FOUND, "quote not found"))
    sources, target = QUOTE_TRANSITIONS[action]
    status = effective_quote_status(quote, utcnow())
    if status not in sources:
        raise ServiceError(
            Problem(
                ErrorCode.INVALID_STATUS_TRANSITION,
                f"a {status} quote cannot become {target}; allowed from: {', '.join(sorted(sources))}",
            )
        )
    if action == "send" and not await session.scalar(select(exists().where(QuoteLine.quote_id == quote.id))):
        raise ServiceError(Problem(ErrorCode.INVALID_INPUT, "a quote without lines cannot be sent"))
    quote.status = target
    await session.flush()
    return quote


@dataclass
class OperationLineInput:
    variant_id: str
    min_quantity: int | None
    max_quantity: int | None
    recommended_quantity: int | None


OPERATION_TRANSITIONS = {"DRAFT": ("ACTIVE", "INACTIVE"), "ACTIVE": ("INACTIVE",), "INACTIVE": ("ACTIVE",)}


def _operation_line_problems(lines: Sequence[OperationLineInput]) -> list[Problem]:
    _too_many(lines, MAX_SOURCE_LINES, "lines")
    problems = []
    for i, ln in enumerate(lines):
        lo, hi, rec = ln.min_quantity, ln.max_quantity, ln.recommended_quantity
        bad = (
            any(v is not None and not 0 <= v <= MAX_QUANTITY for v in (lo, hi, rec))
            or (lo is not None and hi is not None and lo > hi)
            or (rec is not None and ((lo is not None and rec < lo) or (hi is not None and rec > hi)))
        )
        if bad:
            problems.append(
                Problem(
                    ErrorCode.INVALID_INPUT,
                    f"quantities are integers from 0 to {MAX_QUANTITY}, min <= max, recommended within them",
                    index=i,
                    field=("lines", str(i)),
                )
            )
    return problems


async def _get_operation_for_operator(session: AsyncSession, caller: Caller, operation_id: str) -> Operation:
    op = await get_operation(session, caller, operation_id)
    if op is None:
        raise ServiceError(Problem(ErrorCode.NOT_FOUND, "operation not found"))
    return op


async def _replace_operation_lines(
    session: AsyncSession,
    caller: Caller,
    op: Operation,
    lines: Sequence[OperationLineInput] | None,
    account_ids: Sequence[str] | None,
) -> None:
    if lines is not None:
        problems = _operation_line_problems(lines)
        known = set(
            await session.scalars(
                select(Variant.id).where(
                    Variant.id.in_([ln.variant_id for ln in lines if _ok_id(ln.variant_id)]),
                    Variant.tenant_id == caller.tenant_id,
                )
            )
        )
        problems += [
            Problem(ErrorCode.NOT_FOUND, "no such variant", index=i, field=("lines", str(i)))
            for i, ln in enumerate(lines)
            if ln.variant_id not in known
        ]
        if problems:
            raise ServiceError(*problems)
        await session.execute(delete(OperationLine).where(OperationLine.operation_id == op.id))
        session.add_all(
            OperationLine(
                operation_id=op.id,
                variant_id=ln.variant_id,
                min_quantity=ln.min_quantity,
                max_quantity=ln.max_quantity,
                recommended_quantity=ln.recommended_quantity,
                position=i,
            )
            for i, ln in enumerate(lines)
        )
    if account_ids is not None:
        _too_many(account_ids, MAX_LINKED_ACCOUNTS, "accountIds")
        accounts = list(
            await session.scalars(
                select(Account.id).where(
                    or_(Account.id.in_(account_ids), Account.external_id.in_(account_ids)),
                    Account.tenant_id == caller.tenant_id,
                )
            )
        )
        await session.execute(delete(OperationAccount).where(OperationAccount.operation_id == op.id))
        session.add_all(OperationAccount(operation_id=op.id, account_id=a) for a in accounts)


async def create_operation(
    session: AsyncSession,
    caller: Caller,
    name: str,
    type_: str,
    starts_at: datetime,
    ends_at: datetime | None,
    lines: Sequence[OperationLineInput],
    account_ids: Sequence[str],
) -> Operation:
    if not name or len(name) > 200:
        raise ServiceError(Problem(ErrorCode.INVALID_INPUT, "name is 1 to 200 characters", field=("input", "name")))
    if ends_at is not None and ends_at <= starts_at:
        raise ServiceError(Problem(ErrorCode.INVALID_INPUT, "endsAt must be after startsAt", field=("input", "endsAt")))
    op = Operation(
        tenant_id=caller.tenant_id,
        external_id=new_reference("OP"),
        store_id=caller.store_id,
        name=name,
        type=type_,
        status="DRAFT",
        starts_at=starts_at,
        ends_at=ends_at,
    )
    session.add(op)
    await session.flush()
    await _replace_operation_lines(session, caller, op, lines, account_ids)
    await session.flush()
    return op


async def update_operation(
    session: AsyncSession,
    caller: Caller,
    operation_id: str,
    name: str | None,
    lines: Sequence[OperationLineInput] | None,
    account_ids: Sequence[str] | None,
) -> Operation:
    op = await _get_operation_for_operator(session, caller, operation_id)
    if (lines is not None or account_ids is not None) and op.status not in ("DRAFT", "INACTIVE"):
        raise ServiceError(
            Problem(ErrorCode.OPERATION_NOT_EDITABLE, "lines and accounts change only in DRAFT or INACTIVE")
        )
    if name is not None:
        if not name or len(name) > 200:
            raise ServiceError(Problem(ErrorCode.INVALID_INPUT, "name is 1 to 200 characters"))
        op.name = name
    await _replace_operation_lines(session, caller, op, lines, account_ids)
    await session.flush()
    return op


async def set_operation_status(session: AsyncSession, caller: Caller, operation_id: str, to: str) -> Operation:
    op = await _get_operation_for_operator(session, caller, operation_id)
    current = effective_operation_status(op, utcnow())
    allowed = OPERATION_TRANSITIONS.get(current, ())
    if to == "ACTIVE" and current == "INACTIVE" and op.ends_at is not None and op.ends_at <= utcnow():
        allowed = ()
    if to not in allowed:
        raise ServiceError(
            Problem(
                ErrorCode.INVALID_STATUS_TRANSITION,
                f"{current} cannot become {to}; allowed: {', '.join(allowed) or 'none'}",
            )
        )
    op.status = to
    await session.flush()
    return op


async def delete_operation(session: AsyncSession, caller: Caller, operation_id: str) -> str:
    op = await _get_operation_for_operator(session, caller, operation_id)
    linked = await session.scalar(select(exists().where(Order.source_type == "OPERATION", Order.source_id == op.id)))
    if op.status != "DRAFT" or linked:
        raise ServiceError(
            Problem(ErrorCode.OPERATION_DELETE_BLOCKED, "only a DRAFT operation with no linked order can be deleted")
        )
    await session.delete(op)
    return op.id
