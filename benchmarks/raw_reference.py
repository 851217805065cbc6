"""The raw reference for W3 and W4: plain Starlette endpoints that run the same SQL as the gateway with
SQLAlchemy Core on one connection and return the same JSON payload. They are the floor the GraphQL layer is
compared with (GraphQL / raw ratio).

- `/raw/w3`: the operator's `orders(first: 20)` (the caller with the operator's stores, the page, the lines
  with their SKUs: the gateway's own caller statement, the others written out).
- `/raw/w4`: a buyer's `products(first: 50)` with variants and offers (benchmarks/workloads.W4_CATALOG; with
  a JSON body `{"search": term}`, W4_SEARCH): the gateway's caller, page, variants and offers statements
  (app/services/catalog/products.page_statement, listing.variants_statement, listing.offers_statement,
  built once with bound parameters), the rows turned into the payload here: the price choice (most specific
  target, then lowest id), the unit price at the minimum quantity, availability and the JSON written out.

It checks the operator exactly as far as the gateway's statements do (API key, token, attached stores) and
nothing more: it is a measuring stick, not an endpoint to deploy.

Served like the gateway: `uvicorn benchmarks.raw_reference:create_app --factory` with GATEWAY_DATABASE_URL.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import AsyncIterator
from decimal import Decimal

from sqlalchemy import select
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from app.db import make_engine
from app.models import Order, OrderLine, Variant, utcnow
from app.services.access.request_context import caller_statement
from app.services.catalog import listing
from app.services.catalog.products import page_parameters, page_statement, search_pattern
from app.services.common.money import to_decimal
from app.services.common.paging import Window
from app.services.common.secrets import digest
from app.settings import Settings, get_settings

PAGE = 20
W4_PAGE = 50

# The gateway's caller statement for an operator (tenant, default store, token, user, the user's stores).
_caller = caller_statement(named_store=False, with_token=True, buyer=False, named_account=False)
# ... and for a buyer (tenant, default store and its currency, token, user, account, group, attachment).
_buyer = caller_statement(named_store=False, with_token=True, buyer=True, named_account=False)
_RANK = {"ACCOUNT": 0, "GROUP": 1, "PUBLIC": 2}
_orders = select(Order.id, Order.reference, Order.status, Order.total_amount, Order.currency)
_order_by = (Order.created_at.desc().nulls_last(), Order.reference_ci.asc().nulls_last(), Order.id.asc())
# The page's lines with their SKUs, in one statement as the gateway reads them.
_lines = select(
    OrderLine.order_id, Variant.sku, OrderLine.quantity, OrderLine.unit_amount, OrderLine.total_amount
).join(Variant, Variant.id == OrderLine.variant_id)


def _refuse(status: int, message: str) -> Response:
    return Response(json.dumps({"data": None, "errors": [{"message": message}]}), status, media_type="application/json")


def _money(minor: int) -> str:
    return str(to_decimal(minor))


def create_app(database_url: str | None = None) -> Starlette:
    """The reference app on GATEWAY_DATABASE_URL (uvicorn's factory call), or on `database_url`."""
    settings = get_settings() if database_url is None else Settings(database_url=database_url)
    engine = make_engine(settings)

    async def w3(request: Request) -> Response:
        key = request.headers.get("dj-api-key", "")
        token = request.headers.get("authorization", "").partition(" ")[2]
        async with engine.connect() as conn:
            row = (await conn.execute(_caller, {"key": digest(key), "token": digest(token)})).first()
            if row is None or row.user_id is None:
                return _refuse(401, "unknown API key or token")
            if row.role != "OPERATOR" or not row.active or row.revoked_at is not None:
                return _refuse(401, "invalid token")
            if row.expires_at <= utcnow():
                return _refuse(401, "the token has expired")
            stores = set((row.operator_stores or "").split(" ")) - {""}
            if row.store_id not in stores:
                return _refuse(403, "the operator is not attached to this store")
            orders = (
                await conn.execute(
                    _orders.where(Order.tenant_id == row.tenant_id, Order.store_id.in_(stores))
                    .order_by(*_order_by)
                    .limit(PAGE + 1)
                )
            ).all()[:PAGE]
            ids = [o.id for o in orders]
            lines = (
                await conn.execute(_lines.where(OrderLine.order_id.in_(ids)).order_by(OrderLine.position, OrderLine.id))
            ).all()
            await conn.rollback()
        by_order: dict[str, list] = {i: [] for i in ids}
        for ln in lines:
            by_order[ln.order_id].append(
                {
                    "sku": ln.sku,
                    "quantity": ln.quantity,
                    "unitPrice": {"amount": _money(ln.unit_amount)},
                    "total": {"amount": _money(ln.total_amount)},
                }
            )
        edges = [
            {
                "node": {
                    "id": o.id,
                    "reference": o.reference,
                    "status": o.status,
                    "total": {"amount": _money(o.total_amount), "currency": o.currency},
                    "lines": by_order[o.id],
                }
            }
            for o in orders
        ]
        body = {"data": {"orders": {"edges": edges}}}
        return Response(json.dumps(body, default=_default, separators=(",", ":")), media_type="application/json")

    async def w4(request: Request) -> Response:
        key = request.headers.get("dj-api-key", "")
        token = request.headers.get("authorization", "").partition(" ")[2]
        raw_body = await request.body()
        search = json.loads(raw_body).get("search") if raw_body else None
        async with engine.connect() as conn:
            row = (await conn.execute(_buyer, {"key": digest(key), "token": digest(token)})).first()
            if row is None or row.user_id is None:
                return _refuse(401, "unknown API key or token")
            if row.role != "BUYER" or not row.active or row.revoked_at is not None:
                return _refuse(401, "invalid token")
            if row.expires_at <= utcnow():
                return _refuse(401, "the token has expired")
            if row.account_id is None or row.attached is None:
                return _refuse(403, "the account is not attached to this store")
            pattern = search_pattern(search)
            window = Window(size=W4_PAGE, cursor=None, backward=False)
            params = page_parameters(row.tenant_id, row.account_id, pattern, window)
            statement = page_statement(views=True, search=pattern is not None, cursor=False, backward=False)
            products = (await conn.execute(statement, params)).all()[:W4_PAGE]
            variants = (await conn.execute(listing.variants_statement(True), {"ids": [p.id for p in products]})).all()
            offers_params = {"ids": [v.id for v in variants], "currency": row.currency, "account": row.account_id}
            if row.group_id:
                offers_params["group"] = row.group_id
            offer_rows = (
                await conn.execute(listing.offers_statement(True, True, bool(row.group_id)), offers_params)
            ).all()
            await conn.rollback()
        stock_check = "STOCK_CHECK" in (row.flags or ())
        offers_by_variant = _offers(offer_rows, stock_check)
        variants_by_product: dict[str, list] = {p.id: [] for p in products}
        for v in variants:
            variants_by_product[v.product_id].append(
                {"id": v.id, "sku": v.sku, "name": v.name, "offers": offers_by_variant.get(v.id, [])}
            )
        edges = [{"node": {"id": p.id, "name": p.name, "variants": variants_by_product[p.id]}} for p in products]
        body = {"data": {"products": {"edges": edges}}}
        return Response(json.dumps(body, default=_default, separators=(",", ":")), media_type="application/json")

    @contextlib.asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        yield
        await engine.dispose()

    app = Starlette(
        routes=[Route("/raw/w3", w3, methods=["POST"]), Route("/raw/w4", w4, methods=["POST"])], lifespan=lifespan
    )
    app.state.engine = engine
    return app


def _offers(rows: list, stock_check: bool) -> dict[str, list]:
    """Offer rows (one per candidate price and tier, ordered by offer, price, tier) -> each variant's offers as
    W4 shows them, under the most specific price (account, group, public; then the lowest price id)."""
    by_offer: dict[str, list] = {}
    for r in rows:
        by_offer.setdefault(r.id, []).append(r)
    out: dict[str, list] = {}
    for offer_rows in by_offer.values():
        o = min(offer_rows, key=lambda r: (_RANK[r.target], r.price_id))
        tiers = [
            (r.tier_quantity, r.tier_amount)
            for r in offer_rows
            if r.price_id == o.price_id and r.tier_quantity is not None
        ]
        unit = o.unit_amount
        for quantity, amount in tiers:
            if o.min_quantity >= quantity:
                unit = amount
        out.setdefault(o.variant_id, []).append(
            {
                "id": o.id,
                "available": bool(o.active) and not (stock_check and o.stock <= 0),
                "stock": o.stock,
                "packSize": o.pack_size,
                "price": {"amount": _money(unit), "currency": o.currency},
                "priceTiers": [{"minQuantity": q, "unitPrice": {"amount": _money(a)}} for q, a in tiers],
                "taxRate": _money(o.tax_rate_bp),
                "supplier": {"id": o.supplier_id, "name": o.supplier_name},
            }
        )
    return out


def _default(value: object) -> str:
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(type(value).__name__)
