"""Operations, operator side: create, edit lines and linked accounts, change status, delete."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, exists, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import Account, Operation, OperationAccount, OperationLine, Order, Variant, utcnow
from app.services.common.caller import Caller
from app.services.common.errors import ErrorCode, Problem, Refusal
from app.services.common.ids import new_reference, valid_id
from app.services.common.inputs import too_many
from app.services.common.money import MAX_QUANTITY
from app.services.common.outcome import Outcome, service
from app.services.rules.source_states import (
    OperationStatus,
    operation_deletable,
    operation_editable,
    operation_next_statuses,
)
from app.services.sources.operations import effective_operation_status, get_operation

MAX_SOURCE_LINES = 500
MAX_LINKED_ACCOUNTS = 1000


@dataclass
class OperationLineInput:
    variant_id: str
    min_quantity: int | None
    max_quantity: int | None
    recommended_quantity: int | None


def _operation_line_problems(lines: Sequence[OperationLineInput]) -> list[Problem]:
    too_many(lines, MAX_SOURCE_LINES, "lines")
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
        raise Refusal(Problem(ErrorCode.NOT_FOUND, "operation not found"))
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
                    Variant.id.in_([ln.variant_id for ln in lines if valid_id(ln.variant_id)]),
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
            raise Refusal(*problems)
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
        too_many(account_ids, MAX_LINKED_ACCOUNTS, "accountIds")
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


@service
async def create_operation(
    session: AsyncSession,
    caller: Caller,
    name: str,
    type_: str,
    starts_at: datetime,
    ends_at: datetime | None,
    lines: Sequence[OperationLineInput],
    account_ids: Sequence[str],
) -> Outcome[Operation]:
    if not name or len(name) > 200:
        raise Refusal(Problem(ErrorCode.INVALID_INPUT, "name is 1 to 200 characters", field=("input", "name")))
    if ends_at is not None and ends_at <= starts_at:
        raise Refusal(Problem(ErrorCode.INVALID_INPUT, "endsAt must be after startsAt", field=("input", "endsAt")))
    op = Operation(
        tenant_id=caller.tenant_id,
        external_id=new_reference("OP"),
        store_id=caller.store_id,
        name=name,
        type=type_,
        status=OperationStatus.DRAFT,
        starts_at=starts_at,
        ends_at=ends_at,
    )
    session.add(op)
    await session.flush()
    await _replace_operation_lines(session, caller, op, lines, account_ids)
    await session.flush()
    return Outcome.done(op)


@service
async def update_operation(
    session: AsyncSession,
    caller: Caller,
    operation_id: str,
    name: str | None,
    lines: Sequence[OperationLineInput] | None,
    account_ids: Sequence[str] | None,
) -> Outcome[Operation]:
    op = await _get_operation_for_operator(session, caller, operation_id)
    if (lines is not None or account_ids is not None) and not operation_editable(op.status):
        raise Refusal(Problem(ErrorCode.OPERATION_NOT_EDITABLE, "lines and accounts change only in DRAFT or INACTIVE"))
    if name is not None:
        if not name or len(name) > 200:
            raise Refusal(Problem(ErrorCode.INVALID_INPUT, "name is 1 to 200 characters"))
        op.name = name
    await _replace_operation_lines(session, caller, op, lines, account_ids)
    await session.flush()
    return Outcome.done(op)


@service
async def set_operation_status(session: AsyncSession, caller: Caller, operation_id: str, to: str) -> Outcome[Operation]:
    op = await _get_operation_for_operator(session, caller, operation_id)
    current = effective_operation_status(op, utcnow())
    allowed = operation_next_statuses(current)
    ended = op.ends_at is not None and op.ends_at <= utcnow()
    if to == OperationStatus.ACTIVE and current == OperationStatus.INACTIVE and ended:  # reactivation: before the end
        allowed = ()
    if to not in allowed:
        raise Refusal(
            Problem(
                ErrorCode.INVALID_STATUS_TRANSITION,
                f"{current} cannot become {to}; allowed: {', '.join(allowed) or 'none'}",
            )
        )
    op.status = to
    await session.flush()
    return Outcome.done(op)


@service
async def delete_operation(session: AsyncSession, caller: Caller, operation_id: str) -> Outcome[str]:
    op = await _get_operation_for_operator(session, caller, operation_id)
    linked = await session.scalar(select(exists().where(Order.source_type == "OPERATION", Order.source_id == op.id)))
    if not operation_deletable(op.status) or linked:
        raise Refusal(
            Problem(ErrorCode.OPERATION_DELETE_BLOCKED, "only a DRAFT operation with no linked order can be deleted")
        )
    await session.delete(op)
    return Outcome.done(op.id)
