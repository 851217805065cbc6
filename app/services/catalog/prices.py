"""Price resolution: the most specific target wins (account > group > public), then the tier for the
quantity. The choice among loaded price rows is pure (`pick_prices`); loading is one statement per kind."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import NamedTuple

from sqlalchemy import ColumnElement, and_, exists, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import Offer, OfferPrice, PriceTier
from app.services.common.caller import Caller

# Most specific target wins.
TARGET_RANK = {"ACCOUNT": 0, "GROUP": 1, "PUBLIC": 2}


class ResolvedPrice(NamedTuple):
    """The price an offer has for a viewer. A named tuple rather than a frozen dataclass: a catalog page makes
    one per offer listed (about 150 for 50 products), and a tuple is made in one call where a frozen
    dataclass sets each of its nine fields through `object.__setattr__`."""

    price_id: str
    target: str
    currency: str
    unit_amount: int
    tax_rate_bp: int
    min_quantity: int
    max_quantity: int | None
    pack_size: int
    tiers: tuple[tuple[int, int], ...] = ()  # (from quantity, unit amount), ascending

    def unit_for(self, quantity: int) -> int:
        """Unit price for a line quantity: the highest tier reached, else the base price."""
        unit = self.unit_amount
        for from_qty, amount in self.tiers:
            if quantity >= from_qty:
                unit = amount
        return unit


def pick_prices(rows: Iterable[OfferPrice]) -> dict[str, OfferPrice]:
    """Per offer, the most specific of the candidate rows (ties: lowest id, so the choice is stable)."""
    best: dict[str, OfferPrice] = {}
    for p in rows:
        current = best.get(p.offer_id)
        if current is None or (TARGET_RANK[p.target], p.id) < (TARGET_RANK[current.target], current.id):
            best[p.offer_id] = p
    return best


def _targets(caller: Caller) -> ColumnElement[bool]:
    targets = [OfferPrice.target == "PUBLIC"]
    if caller.account_id:
        targets.append(and_(OfferPrice.target == "ACCOUNT", OfferPrice.account_id == caller.account_id))
    if caller.group_id:
        targets.append(and_(OfferPrice.target == "GROUP", OfferPrice.group_id == caller.group_id))
    return and_(OfferPrice.currency == caller.currency, or_(*targets))


def priced_for(caller: Caller) -> ColumnElement[bool]:
    """Offers that have a price for the caller in its currency (usable inside any offer query)."""
    return exists().where(OfferPrice.offer_id == Offer.id, _targets(caller))


async def resolve_prices(session: AsyncSession, caller: Caller, offer_ids: Sequence[str]) -> dict[str, ResolvedPrice]:
    """The price each offer has for the caller in the caller's currency: one statement, the candidate prices
    with their tiers (outer join), the most specific chosen here."""
    rows = (
        await session.execute(
            select(OfferPrice, PriceTier.min_quantity, PriceTier.unit_amount)
            .outerjoin(PriceTier, PriceTier.price_id == OfferPrice.id)
            .where(OfferPrice.offer_id.in_(offer_ids), _targets(caller))
            .order_by(OfferPrice.id, PriceTier.min_quantity)
        )
    ).all()
    candidates: dict[str, OfferPrice] = {}
    tiers: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for price, min_quantity, unit_amount in rows:
        candidates[price.id] = price
        if min_quantity is not None:
            tiers[price.id].append((min_quantity, unit_amount))
    best = pick_prices(candidates.values())
    return {
        offer_id: ResolvedPrice(
            price_id=p.id,
            target=p.target,
            currency=p.currency,
            unit_amount=p.unit_amount,
            tax_rate_bp=p.tax_rate_bp,
            min_quantity=p.min_quantity,
            max_quantity=p.max_quantity,
            pack_size=p.pack_size,
            tiers=tuple(tiers.get(p.id, ())),
        )
        for offer_id, p in best.items()
    }
