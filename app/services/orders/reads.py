"""Batch reads behind the order and draft loaders (placed orders show frozen values)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Protocol, cast

from sqlalchemy import Select, bindparam, select
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
from app.services.common.caller import Caller
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


class LineRow(Protocol):
    """A frozen order line as the read side shows it: plain column values (no ORM entity: a listing reads
    dozens per request) and its variant's SKU, read in the same statement."""

    id: str
    order_id: str
    logistic_order_id: str | None
    variant_id: str
    supplier_id: str
    quantity: int
    unit_amount: int
    discount_amount: int
    tax_amount: int
    total_amount: int
    promotion_code: str | None
    sku: str


_LINE_COLUMNS = (
    OrderLine.id,
    OrderLine.order_id,
    OrderLine.logistic_order_id,
    OrderLine.variant_id,
    OrderLine.supplier_id,
    OrderLine.quantity,
    OrderLine.unit_amount,
    OrderLine.discount_amount,
    OrderLine.tax_amount,
    OrderLine.total_amount,
    OrderLine.promotion_code,
    Variant.sku,
)


def _lines_statement(key: str) -> Select:
    """The lines of some orders (or logistic orders) with their SKUs, built once: :ids is expanded per call."""
    return (
        select(*_LINE_COLUMNS)
        .join(Variant, Variant.id == OrderLine.variant_id)
        .where(getattr(OrderLine, key).in_(bindparam("ids", expanding=True)))
        .order_by(OrderLine.position, OrderLine.id)
    )


_LINES = {key: _lines_statement(key) for key in ("order_id", "logistic_order_id", "id")}


async def _lines_with_sku(session: AsyncSession, ids: Sequence[str], key: str) -> dict[str, list[LineRow]]:
    grouped: dict[str, list[LineRow]] = defaultdict(list)
    for row in await session.execute(_LINES[key], {"ids": list(ids)}):
        grouped[getattr(row, key)].append(cast(LineRow, row))
    return grouped


async def lines_by_order(session: AsyncSession, ids: Sequence[str]) -> dict[str, list[LineRow]]:
    return await _lines_with_sku(session, ids, "order_id")


async def lines_by_id(session: AsyncSession, ids: Sequence[str]) -> dict[str, LineRow]:
    """Lines by their ids, with their SKUs (one statement)."""
    return {key: rows[0] for key, rows in (await _lines_with_sku(session, ids, "id")).items()}


async def lines_by_logistic_order(session: AsyncSession, ids: Sequence[str]) -> dict[str, list[LineRow]]:
    return await _lines_with_sku(session, ids, "logistic_order_id")


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
