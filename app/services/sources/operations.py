"""Operations (campaigns), buyer side: reading them, starting a draft from one, and the re-check at
placement (SPEC 8). An ACTIVE operation past its end date behaves as INACTIVE, computed at read time.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import ColumnElement, and_, exists, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import Operation, OperationAccount, OperationLine, Order, Variant, utcnow
from app.services.catalog.offers import best_offer_for_variants, offer_infos
from app.services.catalog.quantity_rules import ExtraLimits
from app.services.catalog.visibility import visible_product_ids
from app.services.common.caller import Caller
from app.services.common.errors import ErrorCode, Problem
from app.services.common.idempotency import run_once
from app.services.common.ids import valid_id
from app.services.common.outcome import Outcome, service
from app.services.orders.drafts import new_draft
from app.services.rules.source_states import OperationStatus, operation_live, operation_status_at
from app.services.sources.revalidation import SourceLine, draft_with_lines, refuse_if_empty, revalidate


def effective_operation_status(op: Operation, now: datetime) -> OperationStatus:
    return operation_status_at(op.status, op.ends_at, now)


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
        operation_live(effective_operation_status(op, now))
        and op.starts_at <= now
        and op.store_id == caller.store_id
        and (op.type == "PUBLIC" or await _linked(session, op.id, caller.account_id))
    )


async def get_operation(session: AsyncSession, caller: Caller, operation_id: str) -> Operation | None:
    """For an operator: any operation of its stores. For a buyer: only one it may use now."""
    if not valid_id(operation_id):
        return None
    op = await session.scalar(
        select(Operation).where(
            or_(Operation.id == operation_id, Operation.external_id == operation_id),
            Operation.tenant_id == caller.tenant_id,
        )
    )
    if op is None:
        return None
    if caller.is_operator_client:
        return op if op.store_id in caller.operator_store_ids else None
    return op if await usable_operation(session, caller, op) else None


def visible_operations_clause(caller: Caller) -> ColumnElement[bool]:
    """The operations `get_operation` answers, as a clause: an operator's stores' operations; for a buyer,
    those it may use now (`usable_operation`)."""
    clause = Operation.tenant_id == caller.tenant_id
    if caller.is_operator_client:
        return and_(clause, Operation.store_id.in_(caller.operator_store_ids))
    now = utcnow()
    linked = exists().where(
        OperationAccount.operation_id == Operation.id, OperationAccount.account_id == (caller.account_id or "")
    )
    return and_(
        clause,
        Operation.store_id == caller.store_id,
        Operation.status == OperationStatus.ACTIVE,
        Operation.starts_at <= now,
        or_(Operation.ends_at.is_(None), Operation.ends_at > now),
        or_(Operation.type == "PUBLIC", linked),
    )


async def list_operations(session: AsyncSession, caller: Caller, first: int, offset: int) -> tuple[list, int]:
    clause = visible_operations_clause(caller)
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
        if caller.is_buyer
        else {v.product_id for _, v in rows}
    )
    grouped: dict[str, list] = defaultdict(list)
    for line, variant in rows:
        if variant.product_id in visible:
            grouped[line.operation_id].append((line, variant))
    return grouped


@service
async def create_draft_from_operation(
    session: AsyncSession, caller: Caller, operation_id: str, full: bool, *, idempotency_key: str | None = None
) -> Outcome[Order]:
    return await run_once(
        session,
        caller,
        idempotency_key,
        "createDraftOrderFromOperation",
        {"operationId": operation_id, "full": full},
        lambda: _draft_from_operation(session, caller, operation_id, full),
    )


async def _draft_from_operation(session: AsyncSession, caller: Caller, operation_id: str, full: bool) -> Outcome[Order]:
    if not caller.has_flag("OPERATIONS"):
        return Outcome.refused(Problem(ErrorCode.FEATURE_DISABLED, "operations are not enabled for this tenant"))
    op = None
    if valid_id(operation_id):
        op = await session.scalar(
            select(Operation).where(
                or_(Operation.id == operation_id, Operation.external_id == operation_id),
                Operation.tenant_id == caller.tenant_id,
            )
        )
    if op is None or not await usable_operation(session, caller, op):
        return Outcome.refused(Problem(ErrorCode.OPERATION_NOT_AVAILABLE, "this operation is not available to you"))
    if not full:
        return Outcome.done(await new_draft(session, caller, source=("OPERATION", op.id)))
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
    asked = [
        SourceLine(
            info=infos.get(chosen.get(variant.id, "")),
            sku=variant.sku,
            quantity=ln.recommended_quantity or ln.min_quantity or 1,
            extra=ExtraLimits(ln.min_quantity, ln.max_quantity),
        )
        for ln, variant in all_lines
    ]
    kept, warnings = revalidate(asked, stock_check=caller.has_flag("STOCK_CHECK"))
    refuse_if_empty(kept, warnings, ErrorCode.NO_ELIGIBLE_LINES, "no line of this operation can be bought now")
    return Outcome.done(await draft_with_lines(session, caller, kept, source=("OPERATION", op.id)), warnings=warnings)


async def check_source_at_placement(session: AsyncSession, caller: Caller, order: Order) -> list[Problem]:
    if order.source_type == "OPERATION" and order.source_id:
        op = await session.get(Operation, order.source_id)
        if op is None or not caller.has_flag("OPERATIONS") or not await usable_operation(session, caller, op):
            return [Problem(ErrorCode.OPERATION_NOT_AVAILABLE, "the operation of this draft is no longer available")]
    return []
