"""Operators list promotions and vouchers with their usage."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import Product, Promotion, PromotionProduct, Voucher
from app.services.common.caller import Caller


async def list_promotions(
    session: AsyncSession, caller: Caller, ids: Sequence[str] | None = None
) -> list[tuple[Promotion, list[str]]]:
    """Promotions of the tenant (only those of `ids` when given) with the external ids of the products they
    are limited to."""
    query = select(Promotion).where(Promotion.tenant_id == caller.tenant_id)
    if ids is not None:
        query = query.where(Promotion.id.in_(list(ids)))
    promotions = list(await session.scalars(query.order_by(Promotion.code)))
    products: dict[str, list[str]] = defaultdict(list)
    if promotions:
        for promotion_id, external_id in await session.execute(
            select(PromotionProduct.promotion_id, Product.external_id)
            .join(Product, Product.id == PromotionProduct.product_id)
            .where(PromotionProduct.promotion_id.in_([p.id for p in promotions]))
            .order_by(Product.external_id)
        ):
            products[promotion_id].append(external_id)
    return [(p, products.get(p.id, [])) for p in promotions]


async def list_vouchers(
    session: AsyncSession, caller: Caller, ids: Sequence[str] | None = None
) -> list[tuple[Voucher, str]]:
    """Vouchers of the tenant (only those of `ids` when given) with the code of the promotion each unlocks."""
    query = (
        select(Voucher, Promotion.code)
        .join(Promotion, Promotion.id == Voucher.promotion_id)
        .where(Voucher.tenant_id == caller.tenant_id)
    )
    if ids is not None:
        query = query.where(Voucher.id.in_(list(ids)))
    rows = await session.execute(query.order_by(Voucher.code))
    return [(v, code) for v, code in rows]
