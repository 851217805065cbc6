"""The raw reference for W3: a plain Starlette endpoint that runs the same SQL as the gateway's
`orders(first: 20)` (caller resolution, page, lines, variants) with SQLAlchemy Core on one connection and
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
from app.models import ApiKey, AuthToken, Order, OrderLine, Tenant, User, UserStore, Variant, utcnow
from app.services.common.money import to_decimal
from app.services.common.secrets import digest
from app.settings import get_settings

PAGE = 20

# The gateway's caller statement for an operator (tenant, default store, token, user), then its stores.
_caller = (
    select(Tenant.id, Tenant.default_store_id, User.id.label("user_id"), User.role, User.active)
    .add_columns(AuthToken.revoked_at, AuthToken.expires_at)
    .join(ApiKey, ApiKey.tenant_id == Tenant.id)
    .outerjoin(AuthToken, AuthToken.tenant_id == Tenant.id)
    .outerjoin(User, User.id == AuthToken.user_id)
)
_orders = select(Order.id, Order.reference, Order.status, Order.total_amount, Order.currency)
_order_by = (Order.created_at.desc().nulls_last(), Order.reference_ci.asc().nulls_last(), Order.id.asc())
_lines = select(
    OrderLine.order_id, OrderLine.variant_id, OrderLine.quantity, OrderLine.unit_amount, OrderLine.total_amount
)
_variants = select(Variant.id, Variant.sku)


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
            row = (
                await conn.execute(_caller.where(ApiKey.key_hash == digest(key), AuthToken.token_hash == digest(token)))
            ).first()
            if row is None:
                return _refuse(401, "unknown API key or token")
            if row.role != "OPERATOR" or not row.active or row.revoked_at is not None:
                return _refuse(401, "invalid token")
            if row.expires_at <= utcnow():
                return _refuse(401, "the token has expired")
            stores = (await conn.scalars(select(UserStore.store_id).where(UserStore.user_id == row.user_id))).all()
            if row.default_store_id not in stores:
                return _refuse(403, "the operator is not attached to this store")
            orders = (
                await conn.execute(
                    _orders.where(Order.tenant_id == row.id, Order.store_id.in_(stores))
                    .order_by(*_order_by)
                    .limit(PAGE + 1)
                )
            ).all()[:PAGE]
            ids = [o.id for o in orders]
            lines = (
                await conn.execute(_lines.where(OrderLine.order_id.in_(ids)).order_by(OrderLine.position, OrderLine.id))
            ).all()
            skus = dict((await conn.execute(_variants.where(Variant.id.in_({ln.variant_id for ln in lines})))).all())
            await conn.rollback()
        by_order: dict[str, list] = {i: [] for i in ids}
        for ln in lines:
            by_order[ln.order_id].append(
                {
                    "sku": skus[ln.variant_id],
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
