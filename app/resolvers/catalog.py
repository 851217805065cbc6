"""Query fields of the catalog."""

from __future__ import annotations

import strawberry

from app.resolvers.common import ctx_of, read_page, selects_each
from app.schema.catalog import Product, ProductConnection, ProductEdge, Supplier
from app.schema.common import PageInfo
from app.services.catalog import listing
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
    counted, *wanted = selects_each(
        info,
        ("totalCount",),
        ("edges", "node", "variants"),
        ("nodes", "variants"),
        ("edges", "node", "variants", "offers"),
        ("nodes", "variants", "offers"),
    )
    with_variants, with_offers = wanted[0] or wanted[1], wanted[2] or wanted[3]

    # The page's variants and offers, when asked for, are read with it (services/catalog/listing.py): the
    # products answer them without a loader, and the execution fast path answers the page in one pass.
    async def fetch(session, caller, window):  # noqa: ANN001, ANN202
        page = await catalog.list_products(session, caller, search=search, page=window, with_total=counted)
        contents = None
        if with_variants:
            ids = [p.id for p in page.products]
            contents = await listing.page_contents(session, caller, ids, with_offers=with_offers)
        return page, contents

    page, contents = await read_page(info, (first, after, last, before), fetch)
    if contents is None:
        nodes = [Product.of(p) for p in page.products]
    else:
        stock_check = ctx_of(info).caller.has_flag("STOCK_CHECK")
        suppliers: dict[str, Supplier] = {}
        nodes = [
            Product.listed(p, contents, suppliers, with_offers=with_offers, stock_check=stock_check)
            for p in page.products
        ]
    edges = [ProductEdge(node=node, row=p) for node, p in zip(nodes, page.products, strict=True)]
    ends = [catalog.product_cursor(p) for p in (page.products[:1] + page.products[1:][-1:])]
    return ProductConnection(
        edges=edges,
        page_info=PageInfo.of(ends, page.has_next, page.has_previous),
        total_count=page.total_count or 0,  # 0 only when not selected: never answered
    )


async def product(info: strawberry.Info, id: strawberry.ID) -> Product | None:
    ctx = ctx_of(info)
    async with ctx.read() as session:
        found = await get_visible_product(session, ctx.caller, str(id))
    return Product.of(found) if found else None
