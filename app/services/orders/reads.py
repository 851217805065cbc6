"""Batch reads behind the order and draft loaders (placed orders show frozen values)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import NamedTuple

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import (
    Address,
    LogisticOrder,
    Offer,
    Order,
    OrderEvent,
    OrderLine,
    OrderMetadata,
    Payment,
    PaymentMethod,
    ShippingMethod,
    Variant,
    Voucher,
)
from app.services.access.caller import Caller
from app.services.orders.scope import scope_clause
from app.services.pricing.evaluation import evaluate


async def evaluations(session: AsyncSession, caller: Caller, order_ids: Sequence[str]) -> dict:
    orders = list(await session.scalars(select(Order).where(Order.id.in_(order_ids), scope_clause(caller))))
    return await evaluate(session, caller, orders)


async def _grouped(session: AsyncSession, query, key: str) -> dict:  # noqa: ANN001
    grouped: dict[str, list] = defaultdict(list)
    for row in await session.scalars(query):
        grouped[getattr(row, key)].append(row)
    return grouped


class LineRow(NamedTuple):
    """A frozen order line with its variant's SKU (read in the same statement: a listing shows both)."""

    line: OrderLine
    sku: str


async def _lines_with_sku(session: AsyncSession, where, key: str) -> dict[str, list[LineRow]]:  # noqa: ANN001
    q = (
        select(OrderLine, Variant.sku)
        .join(Variant, Variant.id == OrderLine.variant_id)
        .where(where)
        .order_by(OrderLine.position, OrderLine.id)
    )
    grouped: dict[str, list[LineRow]] = defaultdict(list)
    for line, sku in await session.execute(q):
        grouped[getattr(line, key)].append(LineRow(line, sku))
    return grouped


async def lines_by_order(session: AsyncSession, ids: Sequence[str]) -> dict[str, list[LineRow]]:
    return await _lines_with_sku(session, OrderLine.order_id.in_(ids), "order_id")


async def lines_by_logistic_order(session: AsyncSession, ids: Sequence[str]) -> dict[str, list[LineRow]]:
    return await _lines_with_sku(session, OrderLine.logistic_order_id.in_(ids), "logistic_order_id")


async def logistic_by_order(session: AsyncSession, ids: Sequence[str]) -> dict:
    q = select(LogisticOrder).where(LogisticOrder.order_id.in_(ids)).order_by(LogisticOrder.reference)
    return await _grouped(session, q, "order_id")


async def events_by_order(session: AsyncSession, ids: Sequence[str]) -> dict:
    q = select(OrderEvent).where(OrderEvent.order_id.in_(ids)).order_by(OrderEvent.at, OrderEvent.id)
    return await _grouped(session, q, "order_id")


async def metadata_by_order(session: AsyncSession, ids: Sequence[str]) -> dict:
    q = select(OrderMetadata).where(OrderMetadata.order_id.in_(ids)).order_by(OrderMetadata.key)
    return await _grouped(session, q, "order_id")


async def addresses_by_id(session: AsyncSession, ids: Sequence[str]) -> dict:
    return {a.id: a for a in await session.scalars(select(Address).where(Address.id.in_(ids)))}


async def variants_by_id(session: AsyncSession, ids: Sequence[str]) -> dict:
    return {v.id: v for v in await session.scalars(select(Variant).where(Variant.id.in_(ids)))}


async def offers_by_id(session: AsyncSession, ids: Sequence[str]) -> dict:
    return {o.id: o for o in await session.scalars(select(Offer).where(Offer.id.in_(ids)))}


async def payments_by_order(session: AsyncSession, ids: Sequence[str]) -> dict:
    q = select(Payment).where(Payment.order_id.in_(ids)).order_by(Payment.created_at, Payment.id)
    return await _grouped(session, q, "order_id")


async def payment_methods_by_id(session: AsyncSession, ids: Sequence[str]) -> dict:
    return {m.id: m for m in await session.scalars(select(PaymentMethod).where(PaymentMethod.id.in_(ids)))}


async def shipping_methods_by_id(session: AsyncSession, ids: Sequence[str]) -> dict:
    return {m.id: m for m in await session.scalars(select(ShippingMethod).where(ShippingMethod.id.in_(ids)))}


async def vouchers_by_id(session: AsyncSession, ids: Sequence[str]) -> dict:
    return {v.id: v for v in await session.scalars(select(Voucher).where(Voucher.id.in_(ids)))}
