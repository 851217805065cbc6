"""applyVoucher and removeVoucher on an editable draft (the cart included): one voucher per order.

Applying checks the voucher now (VOUCHER_INVALID, VOUCHER_EXPIRED, VOUCHER_USAGE_LIMIT, VOUCHER_MIN_PURCHASE,
VOUCHER_NOT_APPLICABLE) and refuses with the first that fails; later, a voucher that stops qualifying stays
on the draft, takes nothing off, and shows as a non-blocking issue. Usage is counted at placement
(promotions/redemption.py), never here."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import Order, Voucher
from app.services.common.caller import Caller
from app.services.common.errors import ErrorCode, Problem
from app.services.common.outcome import Outcome, service
from app.services.orders.editing import locked_draft
from app.services.pricing.evaluation import evaluate, freeze

MAX_CODE = 50


async def find_voucher(session: AsyncSession, tenant_id: str, code: str) -> Voucher | None:
    code = code.strip()
    if not code or len(code) > MAX_CODE:
        return None
    return await session.scalar(select(Voucher).where(Voucher.tenant_id == tenant_id, Voucher.code_ci == code.lower()))


@service
async def apply_voucher(session: AsyncSession, caller: Caller, order_id: str, code: str) -> Outcome[Order]:
    order = await locked_draft(session, caller, order_id, None, lines=True)
    if order.voucher_id is not None:
        return Outcome.refused(
            Problem(ErrorCode.VOUCHER_ALREADY_APPLIED, "this order has a voucher: remove it first", field=("code",)),
            value=order,
        )
    voucher = await find_voucher(session, caller.tenant_id, code)
    if voucher is None:
        return Outcome.refused(Problem(ErrorCode.VOUCHER_INVALID, "no such voucher", field=("code",)), value=order)
    order.voucher_id = voucher.id
    await session.flush()
    ev = (await evaluate(session, caller, [order]))[order.id]
    problem = next((p for p in ev.issues if p.code.name.startswith("VOUCHER_") and p.field == ("voucher",)), None)
    if problem is not None:
        return Outcome.refused(Problem(problem.code, problem.message, field=("code",)), value=order)
    await freeze(session, ev)
    return Outcome.done(order)


@service
async def remove_voucher(session: AsyncSession, caller: Caller, order_id: str) -> Outcome[Order]:
    order = await locked_draft(session, caller, order_id, None, lines=True)
    if order.voucher_id is None:
        return Outcome.done(order)
    order.voucher_id = None
    await session.flush()
    await freeze(session, (await evaluate(session, caller, [order]))[order.id])
    return Outcome.done(order)
