"""What was shipped and returned of order lines, as sums over the shipment and return lines; the one
statement of each, for any number of lines."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import ReturnLine, ShipmentLine


async def _sums(session: AsyncSession, table: type[ShipmentLine] | type[ReturnLine], ids: Sequence[str]) -> dict:
    if not ids:
        return {}
    rows = await session.execute(
        select(table.order_line_id, func.sum(table.quantity))
        .where(table.order_line_id.in_(list(ids)))
        .group_by(table.order_line_id)
    )
    return {line_id: int(total) for line_id, total in rows}


async def shipped(session: AsyncSession, line_ids: Sequence[str]) -> dict[str, int]:
    """Units shipped so far per order line (lines never shipped are absent)."""
    return await _sums(session, ShipmentLine, line_ids)


async def returned(session: AsyncSession, line_ids: Sequence[str]) -> dict[str, int]:
    """Units returned so far per order line (lines never returned are absent)."""
    return await _sums(session, ReturnLine, line_ids)
