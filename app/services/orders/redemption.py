"""Usage is counted exactly once, when an order's prices are frozen (placement, checkout, createOrderFromCart),
with conditional atomic updates: a voucher's use count (within its limit), a once-per-customer use (a unique
row per voucher and user), a promotion's budget (within maxDiscountTotal). One that fails refuses the whole
unit of work: no order, no stock taken, no usage counted. A canceled order, or a payment that failed or
expired, gives back exactly what its order took."""

from __future__ import annotations

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import Order, Promotion, PromotionUsage, Voucher, VoucherRedemption
from app.services.common.errors import ErrorCode, Problem, Refusal
from app.services.pricing.evaluation import Evaluation


def _limit(code: str) -> Refusal:
    return Refusal(Problem(ErrorCode.VOUCHER_USAGE_LIMIT, f"voucher {code} was used up meanwhile", field=("voucher",)))


async def redeem(session: AsyncSession, ev: Evaluation) -> None:
    """Count the voucher (when it applies) and the budgets the evaluation draws on, or refuse."""
    order, voucher = ev.order, ev.voucher
    if voucher is not None and ev.voucher_discount > 0:
        limit = {"SINGLE": 1, "MULTIPLE": voucher.max_uses}.get(voucher.usage)
        query = update(Voucher).where(Voucher.id == voucher.id).values(used_count=Voucher.used_count + 1)
        if limit is not None:
            query = query.where(Voucher.used_count < limit)
        if (await session.execute(query)).rowcount != 1:
            raise _limit(voucher.code)
        key = order.user_id or order.id if voucher.usage == "ONCE_PER_CUSTOMER" else order.id
        try:
            async with session.begin_nested():
                session.add(VoucherRedemption(voucher_id=voucher.id, order_id=order.id, customer_key=key))
                await session.flush()
        except IntegrityError:
            raise _limit(voucher.code) from None
    await _draw_budgets(session, ev)


async def _draw_budgets(session: AsyncSession, ev: Evaluation) -> None:
    taken: dict[str, int] = {}
    for pl in ev.lines:
        if pl.amounts.promotion and pl.amounts.discount:
            taken[pl.amounts.promotion] = taken.get(pl.amounts.promotion, 0) + pl.amounts.discount
    for code, amount in ev.totals.order_discounts:
        if amount:
            promotion_code = code
            if ev.voucher is not None and code == ev.voucher.code:
                promotion_code = await session.scalar(
                    select(Promotion.code).where(Promotion.id == ev.voucher.promotion_id)
                )
            taken[promotion_code] = taken.get(promotion_code, 0) + amount
    if not taken:
        return
    capped = list(
        await session.scalars(
            select(Promotion).where(
                Promotion.tenant_id == ev.order.tenant_id,
                Promotion.code.in_(sorted(taken)),
                Promotion.max_discount_total.is_not(None),
            )
        )
    )
    for promotion in sorted(capped, key=lambda p: p.id):
        amount = taken[promotion.code]
        drawn = await session.execute(
            update(Promotion)
            .where(Promotion.id == promotion.id, Promotion.discount_used + amount <= Promotion.max_discount_total)
            .values(discount_used=Promotion.discount_used + amount)
        )
        if drawn.rowcount != 1:
            raise Refusal(
                Problem(ErrorCode.PROMOTION_EXHAUSTED, f"promotion {promotion.code} has run out: sync the order")
            )
        session.add(PromotionUsage(order_id=ev.order.id, promotion_id=promotion.id, amount=amount))


async def give_back(session: AsyncSession, order: Order) -> None:
    """Return what this order took: its voucher use and its promotion budgets."""
    redemptions = list(await session.scalars(select(VoucherRedemption).where(VoucherRedemption.order_id == order.id)))
    for r in redemptions:
        await session.execute(
            update(Voucher).where(Voucher.id == r.voucher_id).values(used_count=Voucher.used_count - 1)
        )
    if redemptions:
        await session.execute(delete(VoucherRedemption).where(VoucherRedemption.order_id == order.id))
    usages = list(await session.scalars(select(PromotionUsage).where(PromotionUsage.order_id == order.id)))
    for u in usages:
        await session.execute(
            update(Promotion)
            .where(Promotion.id == u.promotion_id)
            .values(discount_used=Promotion.discount_used - u.amount)
        )
    if usages:
        await session.execute(delete(PromotionUsage).where(PromotionUsage.order_id == order.id))
