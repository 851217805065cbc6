"""Batch reads behind the shipment and return loaders: a fixed number of statements for any number of keys.

The orders and logistic orders these hang off were read through the caller's scope already (app/schema only
reaches them from an Order or a LogisticOrder the caller may see).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import OrderLine, Return, ReturnLine, Shipment, ShipmentLine, Variant
from app.services.shipping import quantities
from app.services.shipping.views import PartLine, ReturnView, ShipmentView


@dataclass(frozen=True)
class LineProgress:
    """What was shipped and returned of one order line."""

    shipped: int = 0
    returned: int = 0


async def _shipment_lines(session: AsyncSession, shipment_ids: Sequence[str]) -> dict[str, list[PartLine]]:
    grouped: dict[str, list[PartLine]] = defaultdict(list)
    if not shipment_ids:
        return grouped
    rows = await session.execute(
        select(ShipmentLine.shipment_id, ShipmentLine.order_line_id, ShipmentLine.quantity, Variant.sku)
        .join(OrderLine, OrderLine.id == ShipmentLine.order_line_id)
        .join(Variant, Variant.id == OrderLine.variant_id)
        .where(ShipmentLine.shipment_id.in_(list(shipment_ids)))
        .order_by(OrderLine.position, OrderLine.id)
    )
    for shipment_id, line_id, quantity, sku in rows:
        grouped[shipment_id].append(PartLine(line_id, quantity, sku))
    return grouped


async def _shipments(session: AsyncSession, key: str, ids: Sequence[str]) -> dict[str, list[ShipmentView]]:
    shipments = list(
        await session.scalars(
            select(Shipment).where(getattr(Shipment, key).in_(list(ids))).order_by(Shipment.created_at, Shipment.id)
        )
    )
    lines = await _shipment_lines(session, [s.id for s in shipments])
    grouped: dict[str, list[ShipmentView]] = defaultdict(list)
    for s in shipments:
        grouped[getattr(s, key)].append(ShipmentView(s, lines.get(s.id, [])))
    return grouped


async def shipments_by_order(session: AsyncSession, ids: Sequence[str]) -> dict[str, list[ShipmentView]]:
    """The shipments of each order, oldest first (two statements)."""
    return await _shipments(session, "order_id", ids)


async def shipments_by_logistic_order(session: AsyncSession, ids: Sequence[str]) -> dict[str, list[ShipmentView]]:
    """The shipments of each logistic order, oldest first (two statements)."""
    return await _shipments(session, "logistic_order_id", ids)


async def shipments_by_id(session: AsyncSession, ids: Sequence[str]) -> dict[str, ShipmentView]:
    """Shipments by their ids (two statements); `node(id:)` reaches them after checking their order's scope."""
    return {key: views[0] for key, views in (await _shipments(session, "id", ids)).items()}


async def returns_by_order(session: AsyncSession, ids: Sequence[str]) -> dict[str, list[ReturnView]]:
    """The returns of each order, oldest first (two statements)."""
    return await _returns(session, "order_id", ids)


async def returns_by_id(session: AsyncSession, ids: Sequence[str]) -> dict[str, ReturnView]:
    """Returns by their ids (two statements); `node(id:)` reaches them after checking their order's scope."""
    return {key: views[0] for key, views in (await _returns(session, "id", ids)).items()}


async def _returns(session: AsyncSession, key: str, ids: Sequence[str]) -> dict[str, list[ReturnView]]:
    returns = list(
        await session.scalars(
            select(Return).where(getattr(Return, key).in_(list(ids))).order_by(Return.created_at, Return.id)
        )
    )
    lines: dict[str, list[PartLine]] = defaultdict(list)
    if returns:
        rows = await session.execute(
            select(ReturnLine.return_id, ReturnLine.order_line_id, ReturnLine.quantity, ReturnLine.restock, Variant.sku)
            .join(OrderLine, OrderLine.id == ReturnLine.order_line_id)
            .join(Variant, Variant.id == OrderLine.variant_id)
            .where(ReturnLine.return_id.in_([r.id for r in returns]))
            .order_by(OrderLine.position, OrderLine.id)
        )
        for return_id, line_id, quantity, restock, sku in rows:
            lines[return_id].append(PartLine(line_id, quantity, sku, restock))
    grouped: dict[str, list[ReturnView]] = defaultdict(list)
    for r in returns:
        grouped[getattr(r, key)].append(ReturnView(r, lines.get(r.id, [])))
    return grouped


async def progress_by_line(session: AsyncSession, line_ids: Sequence[str]) -> dict[str, LineProgress]:
    """Shipped and returned units of each order line (two statements); lines with neither are absent."""
    shipped = await quantities.shipped(session, line_ids)
    returned = await quantities.returned(session, line_ids)
    return {
        line_id: LineProgress(shipped.get(line_id, 0), returned.get(line_id, 0))
        for line_id in set(shipped) | set(returned)
    }
