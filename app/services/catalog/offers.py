"""Offers as the rules see them (offer, variant, product, visibility, resolved price) and the one decision
of whether an offer can be bought now, which the schema's `Offer.available` only reads."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import Offer, Product, Variant
from app.services.catalog.prices import ResolvedPrice, resolve_prices
from app.services.catalog.visibility import visible_products_clause
from app.services.common.caller import Caller
from app.services.common.errors import ErrorCode


@dataclass(frozen=True)
class OfferInfo:
    """Everything the rules need about one offer, for one caller."""

    offer: Offer
    variant: Variant
    product: Product
    visible: bool
    price: ResolvedPrice | None

    @property
    def sellable(self) -> bool:
        return self.offer.active and self.variant.active and self.product.active and self.price is not None


@dataclass(frozen=True)
class Unavailable:
    code: ErrorCode
    message: str


def unavailability(info: OfferInfo | None, *, stock_check: bool) -> Unavailable | None:
    """Why this offer cannot be bought at all right now (None: it can, at some valid quantity).

    Order matters: an unknown offer, then visibility (no leak of what an invisible offer would cost), then
    sellability (offer, variant and product active, a price for the caller), then stock when checked."""
    if info is None:
        return Unavailable(ErrorCode.OFFER_UNAVAILABLE, "no such offer")
    if not info.visible:
        return Unavailable(ErrorCode.PRODUCT_NOT_VISIBLE, f"{info.variant.sku} is not in your catalog")
    if not info.sellable:
        return Unavailable(ErrorCode.OFFER_UNAVAILABLE, f"{info.variant.sku} is not sold at the moment")
    if stock_check and info.offer.stock <= 0:
        return Unavailable(ErrorCode.INSUFFICIENT_STOCK, f"{info.variant.sku}: out of stock")
    return None


def is_available(info: OfferInfo | None, *, stock_check: bool) -> bool:
    """`unavailability(info) is None`, without building the reason (a catalog page asks it of every offer)."""
    return (
        info is not None
        and info.visible
        and listed_available(info.offer, info.variant, info.product, info.price, stock_check=stock_check)
    )


def listed_available(
    offer: Offer, variant: Variant, product: Product, price: ResolvedPrice | None, *, stock_check: bool
) -> bool:
    """`is_available` for an offer known to be visible (listed under a product the viewer is shown): offer,
    variant and product active, a price for the viewer, and in stock when the tenant checks stock."""
    return (
        bool(offer.active and variant.active and product.active)
        and price is not None
        and not (stock_check and offer.stock <= 0)
    )


async def offer_infos(session: AsyncSession, caller: Caller, offer_ids: Iterable[str]) -> dict[str, OfferInfo]:
    """Offers with variant, product, visibility and resolved price, in a fixed number of statements."""
    ids = list(set(offer_ids))
    if not ids:
        return {}
    rows = (
        await session.execute(
            # Visibility rides along as a column: one statement for the offers, one for their prices.
            select(Offer, Variant, Product, visible_products_clause(caller).label("visible"))
            .join(Variant, Variant.id == Offer.variant_id)
            .join(Product, Product.id == Variant.product_id)
            .where(Offer.id.in_(ids), Offer.tenant_id == caller.tenant_id)
        )
    ).all()
    prices = await resolve_prices(session, caller, [o.id for o, _, _, _ in rows])
    return {
        o.id: OfferInfo(offer=o, variant=v, product=p, visible=bool(visible), price=prices.get(o.id))
        for o, v, p, visible in rows
    }


async def best_offer_for_variants(session: AsyncSession, caller: Caller, variant_ids: Iterable[str]) -> dict[str, str]:
    """For each variant, the offer a line naming only the variant gets: the cheapest sellable offer in stock,
    else the cheapest sellable one."""
    vids = list(set(variant_ids))
    if not vids:
        return {}
    offers = (
        await session.scalars(
            select(Offer).where(Offer.variant_id.in_(vids), Offer.tenant_id == caller.tenant_id, Offer.active.is_(True))
        )
    ).all()
    prices = await resolve_prices(session, caller, [o.id for o in offers])
    chosen: dict[str, tuple] = {}
    for o in offers:
        price = prices.get(o.id)
        if price is None:
            continue
        key = (o.stock <= 0, price.unit_amount, o.id)
        if o.variant_id not in chosen or key < chosen[o.variant_id][0]:
            chosen[o.variant_id] = (key, o.id)
    return {vid: offer_id for vid, (_, offer_id) in chosen.items()}
