"""Catalog visibility: an account linked to catalog views sees exactly their union, else the whole active
catalog. Operators and anonymous visitors see the whole active catalog of the tenant."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import ColumnElement, and_, exists, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import CatalogViewAccount, CatalogViewProduct, Product
from app.services.common.caller import Caller
from app.services.common.ids import valid_id


def visible_products_clause(caller: Caller) -> ColumnElement[bool]:
    return visible_products_rule(caller.tenant_id, caller.account_id if caller.is_buyer else None)


def viewer_account(caller: Caller) -> str | None:
    """The account whose catalog views decide what the caller sees (None: the whole active catalog)."""
    return caller.account_id if caller.is_buyer else None


def visible_products_rule(tenant: Any, account: Any) -> ColumnElement[bool]:  # noqa: ANN401
    """The one visibility rule, bound either to a caller's values or to parameters (`bindparam`) for a
    statement built once: the tenant's active products, narrowed to the account's views when it has any
    (`account` None: no narrowing)."""
    base = and_(Product.tenant_id == tenant, Product.active.is_(True))
    if account is None:
        return base
    has_views = exists().where(CatalogViewAccount.account_id == account)
    in_views = exists().where(
        CatalogViewProduct.product_id == Product.id,
        CatalogViewProduct.view_id == CatalogViewAccount.view_id,
        CatalogViewAccount.account_id == account,
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
