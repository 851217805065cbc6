"""The raw reference for W3: a plain Starlette endpoint that runs the same SQL as the gateway's
`orders(first: 20)` (the caller with the operator's stores, the page, the lines with their SKUs: the
gateway's own caller statement, the others written out) with SQLAlchemy Core on one connection and
returns the same JSON payload. It is the floor the GraphQL layer is compared with (GraphQL / raw ratio).

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
from app.services.common.money import to_decimal
from app.services.common.secrets import digest
from app.settings import get_settings

PAGE = 20

# The gateway's caller statement for an operator (tenant, default store, token, user, the user's stores).
_caller = caller_statement(named_store=False, with_token=True, buyer=False, named_account=False)
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


def create_app() -> Starlette:
    engine = make_engine(get_settings())

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

    @contextlib.asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        yield
        await engine.dispose()

    return Starlette(routes=[Route("/raw/w3", w3, methods=["POST"])], lifespan=lifespan)


def _default(value: object) -> str:
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(type(value).__name__)
