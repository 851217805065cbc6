"""Operators list promotions and vouchers with their usage."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import Product, Promotion, PromotionProduct, Voucher
from app.services.common.caller import Caller
from app.services.common.paging import Window, keyset


async def list_promotions(
    session: AsyncSession, caller: Caller, ids: Sequence[str] | None = None, page: Window | None = None
) -> list[tuple[Promotion, list[str]]]:
    """Promotions of the tenant by code (only those of `ids` when given; with `page`, that page's plus one
    when another follows: `keyset_rows`) with the external ids of the products they are limited to."""
    query = select(Promotion).where(Promotion.tenant_id == caller.tenant_id)
    if ids is not None:
        query = query.where(Promotion.id.in_(list(ids)))
    query = keyset(query, Promotion.code, page) if page else query.order_by(Promotion.code)
    promotions = list(await session.scalars(query))
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
    session: AsyncSession, caller: Caller, ids: Sequence[str] | None = None, page: Window | None = None
) -> list[tuple[Voucher, str]]:
    """Vouchers of the tenant by code (only those of `ids` when given; with `page`, that page's plus one when
    another follows: `keyset_rows`) with the code of the promotion each unlocks."""
    query = (
        select(Voucher, Promotion.code)
        .join(Promotion, Promotion.id == Voucher.promotion_id)
        .where(Voucher.tenant_id == caller.tenant_id)
    )
    if ids is not None:
        query = query.where(Voucher.id.in_(list(ids)))
    rows = await session.execute(keyset(query, Voucher.code, page) if page else query.order_by(Voucher.code))
    return [(v, code) for v, code in rows]


async def count_promotions(session: AsyncSession, caller: Caller) -> int:
    return int(
        await session.scalar(select(func.count()).select_from(Promotion).where(Promotion.tenant_id == caller.tenant_id))
        or 0
    )


async def count_vouchers(session: AsyncSession, caller: Caller) -> int:
    return int(
        await session.scalar(select(func.count()).select_from(Voucher).where(Voucher.tenant_id == caller.tenant_id))
        or 0
    )
