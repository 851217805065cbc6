"""Stock changes, always with conditional atomic updates in offer-id order (no read-check-write, and no
deadlock between two transactions touching the same offers on PostgreSQL)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Protocol

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import Offer, OrderLine
from app.models.base import utcnow
from app.services.common.errors import ErrorCode, Problem, Refusal
from app.services.pricing.evaluation import PricedLine


async def reserve(session: AsyncSession, lines: Iterable[PricedLine]) -> None:
    """Take each line's quantity from its offer's stock, never below zero, or refuse the unit of work."""
    now = utcnow()  # stock_moved_at: the importer refuses counts taken before it (docs/import.md)
    for pl in sorted(lines, key=lambda pl: pl.line.offer_id):
        reserved = await session.execute(
            update(Offer)
            .where(Offer.id == pl.line.offer_id, Offer.stock >= pl.line.quantity)
            .values(stock=Offer.stock - pl.line.quantity, stock_moved_at=now)
        )
        if reserved.rowcount != 1:
            sku = pl.info.variant.sku if pl.info else pl.line.offer_id
            raise Refusal(Problem(ErrorCode.INSUFFICIENT_STOCK, f"{sku}: not enough stock left", line_id=pl.line.id))


class Units(Protocol):
    """Units of an offer: an order line, or part of one (the restocked units of a returned line)."""

    @property
    def offer_id(self) -> str: ...

    @property
    def quantity(self) -> int: ...


async def release(session: AsyncSession, lines: Iterable[OrderLine] | Iterable[Units]) -> None:
    """Give the lines' quantities back to their offers."""
    per_offer: dict[str, int] = defaultdict(int)
    for ln in lines:
        per_offer[ln.offer_id] += ln.quantity
    now = utcnow()
    for offer_id in sorted(per_offer):
        await session.execute(
            update(Offer)
            .where(Offer.id == offer_id)
            .values(stock=Offer.stock + per_offer[offer_id], stock_moved_at=now)
        )
