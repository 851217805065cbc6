"""Query fields of the catalog."""

from __future__ import annotations

import strawberry

from app.resolvers.common import ctx_of, read_page, selects
from app.schema.catalog import Product, ProductConnection, ProductEdge
from app.schema.common import PageInfo
from app.services.catalog import products as catalog
from app.services.catalog.visibility import get_visible_product


async def products(
    info: strawberry.Info,
    search: str | None = None,
    first: int | None = None,
    after: str | None = None,
    last: int | None = None,
    before: str | None = None,
) -> ProductConnection:
    counted = selects(info, "totalCount")
    page = await read_page(
        info,
        (first, after, last, before),
        lambda s, caller, window: catalog.list_products(s, caller, search=search, page=window, with_total=counted),
    )
    edges = [ProductEdge(cursor=catalog.product_cursor(p), node=Product.of(p)) for p in page.products]
    return ProductConnection(
        edges=edges,
        page_info=PageInfo.of([e.cursor for e in edges], page.has_next, page.has_previous),
        total_count=page.total_count or 0,  # 0 only when not selected: never answered
    )


async def product(info: strawberry.Info, id: strawberry.ID) -> Product | None:
    ctx = ctx_of(info)
    async with ctx.read() as session:
        found = await get_visible_product(session, ctx.caller, str(id))
    return Product.of(found) if found else None
