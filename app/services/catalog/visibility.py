"""Catalog visibility: an account linked to catalog views sees exactly their union, else the whole active
catalog. Operators and anonymous visitors see the whole active catalog of the tenant."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import ColumnElement, and_, exists, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import CatalogViewAccount, CatalogViewProduct, Product
from app.services.common.caller import Caller
from app.services.common.ids import valid_id


def visible_products_clause(caller: Caller) -> ColumnElement[bool]:
    base = and_(Product.tenant_id == caller.tenant_id, Product.active.is_(True))
    if not caller.is_buyer or caller.account_id is None:
        return base
    has_views = exists().where(CatalogViewAccount.account_id == caller.account_id)
    in_views = exists().where(
        CatalogViewProduct.product_id == Product.id,
        CatalogViewProduct.view_id == CatalogViewAccount.view_id,
        CatalogViewAccount.account_id == caller.account_id,
    )
    return and_(base, or_(~has_views, in_views))


async def visible_product_ids(session: AsyncSession, caller: Caller, product_ids: Iterable[str]) -> set[str]:
    ids = list(set(product_ids))
    if not ids:
        return set()
    rows = await session.scalars(select(Product.id).where(Product.id.in_(ids), visible_products_clause(caller)))
    return set(rows)


async def get_visible_product(session: AsyncSession, caller: Caller, product_id: str) -> Product | None:
    if not valid_id(product_id):
        return None
    return await session.scalar(select(Product).where(Product.id == product_id, visible_products_clause(caller)))
