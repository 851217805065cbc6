"""Product listing (keyset on name, id) and the batch reads behind the catalog loaders."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, bindparam, exists, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import Offer, Product, Supplier, Variant
from app.services.catalog.prices import priced_for
from app.services.catalog.visibility import viewer_account, visible_products_rule
from app.services.common.caller import Caller
from app.services.common.paging import BadArgument, Window, decode_cursor, encode_cursor

MAX_SEARCH = 200


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


@dataclass
class ProductPage:
    products: list[Any]  # column rows of Product (id, external_id, name, description, active)
    has_next: bool
    has_previous: bool
    total_count: int | None  # None: not counted (the client did not select totalCount)


@cache
def page_statement(*, views: bool, search: bool, cursor: bool, backward: bool) -> Select:
    """A page of visible products ordered by name then id (reversed when `backward`), built once per shape
    with bound parameters: :tenant, :account (`views`: the account's catalog views apply), :pattern
    (`search`: in the name or a variant's SKU, lower case), :name and :pid (`cursor`: after or before that
    product), :limit. Plain column rows with the model's attribute names (the page is only read)."""
    query = select(Product.id, Product.external_id, Product.name, Product.description, Product.active).where(
        page_clause(views=views, search=search)
    )
    if cursor:
        name, pid = bindparam("name"), bindparam("pid")
        if backward:
            query = query.where(or_(Product.name < name, and_(Product.name == name, Product.id < pid)))
        else:
            query = query.where(or_(Product.name > name, and_(Product.name == name, Product.id > pid)))
    order = (Product.name.desc(), Product.id.desc()) if backward else (Product.name, Product.id)
    return query.order_by(*order).limit(bindparam("limit"))


def page_clause(*, views: bool, search: bool) -> ColumnElement[bool]:
    clause = visible_products_rule(bindparam("tenant"), bindparam("account") if views else None)
    if search:
        pattern = bindparam("pattern")
        sku_match = exists().where(Variant.product_id == Product.id, func.lower(Variant.sku).like(pattern, escape="\\"))
        clause = and_(clause, or_(func.lower(Product.name).like(pattern, escape="\\"), sku_match))
    return clause


@cache
def _count_statement(views: bool, search: bool) -> Select:
    return select(func.count()).select_from(Product).where(page_clause(views=views, search=search))


def search_pattern(search: str | None) -> str | None:
    """The LIKE pattern of a search term (None: no search); a term longer than MAX_SEARCH is refused."""
    if search is None:
        return None
    if len(search) > MAX_SEARCH:
        raise BadArgument(f"search must be at most {MAX_SEARCH} characters")
    term = search.strip().lower()
    return f"%{_escape_like(term)}%" if term else None


def page_parameters(tenant_id: str, account_id: str | None, pattern: str | None, page: Window) -> dict[str, Any]:
    params: dict[str, Any] = {"tenant": tenant_id, "limit": page.size + 1}
    if account_id is not None:
        params["account"] = account_id
    if pattern is not None:
        params["pattern"] = pattern
    if page.cursor:
        name, pid = decode_cursor(page.cursor, 2)
        if not isinstance(name, str) or not isinstance(pid, str):
            raise BadArgument("malformed cursor")
        params["name"], params["pid"] = name, pid
    return params


async def list_products(
    session: AsyncSession,
    caller: Caller,
    *,
    search: str | None,
    page: Window,
    with_total: bool = True,
) -> ProductPage:
    """Visible products ordered by name then id, with a keyset cursor (name, id), forward or backward."""
    pattern = search_pattern(search)
    account = viewer_account(caller)
    params = page_parameters(caller.tenant_id, account, pattern, page)
    views, searched = account is not None, pattern is not None
    total = await session.scalar(_count_statement(views, searched), params) if with_total else None
    statement = page_statement(views=views, search=searched, cursor=bool(page.cursor), backward=page.backward)
    rows = list((await session.execute(statement, params)).all())
    more, rows = len(rows) > page.size, rows[: page.size]
    if page.backward:
        rows.reverse()
    has_next, has_previous = page.page_info(more)
    return ProductPage(
        products=rows,
        has_next=has_next,
        has_previous=has_previous,
        total_count=int(total or 0) if with_total else None,
    )


def product_cursor(product: Any) -> str:  # noqa: ANN401 - a Product or a page's column row
    return encode_cursor([product.name, product.id])


async def variants_by_product(session: AsyncSession, product_ids: Sequence[str], active_only: bool) -> dict:
    query = select(Variant).where(Variant.product_id.in_(product_ids))
    if active_only:
        query = query.where(Variant.active.is_(True))
    grouped: dict[str, list[Variant]] = defaultdict(list)
    for v in await session.scalars(query.order_by(Variant.sku)):
        grouped[v.product_id].append(v)
    return grouped


async def offers_by_variant(session: AsyncSession, caller: Caller, variant_ids: Sequence[str]) -> dict:
    """Offers listed under a variant: those priced for the caller (an offer without a price for the viewer
    has nothing to show or sell); buyers see active ones only."""
    query = select(Offer).where(Offer.variant_id.in_(variant_ids), priced_for(caller))
    if caller.is_buyer:
        query = query.where(Offer.active.is_(True))
    grouped: dict[str, list[Offer]] = defaultdict(list)
    for o in await session.scalars(query.order_by(Offer.id)):
        grouped[o.variant_id].append(o)
    return grouped


async def suppliers_by_id(session: AsyncSession, ids: Sequence[str]) -> dict[str, Supplier]:
    return {s.id: s for s in await session.scalars(select(Supplier).where(Supplier.id.in_(ids)))}
