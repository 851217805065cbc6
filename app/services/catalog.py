"""Catalog visibility (catalog views), offer price resolution and product listing."""

from __future__ import annotations

import base64
import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, exists, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import (
    CatalogViewAccount,
    CatalogViewProduct,
    Offer,
    OfferPrice,
    PriceTier,
    Product,
    Supplier,
    Variant,
)
from app.services.caller import Caller

MAX_SEARCH = 200

# Most specific target wins.
_TARGET_RANK = {"ACCOUNT": 0, "GROUP": 1, "PUBLIC": 2}


class BadArgument(ValueError):
    """A query argument out of range or malformed (answered as a BAD_REQUEST top-level error)."""


@dataclass(frozen=True)
class ResolvedPrice:
    price_id: str
    target: str
    currency: str
    unit_amount: int
    tax_rate_bp: int
    min_quantity: int
    max_quantity: int | None
    pack_size: int
    tiers: tuple[tuple[int, int], ...]  # (from quantity, unit amount), ascending

    def unit_for(self, quantity: int) -> int:
        """Unit price for a line quantity: the highest tier reached, else the base price."""
        unit = self.unit_amount
        for from_qty, amount in self.tiers:
            if quantity >= from_qty:
                unit = amount
        return unit


def visible_products_clause(caller: Caller) -> ColumnElement[bool]:
    """Products the caller may see: an account linked to catalog views sees their union, else all.

    Operators and anonymous visitors see the whole active catalog of the tenant.
    """
    base = and_(Product.tenant_id == caller.tenant_id, Product.active.is_(True))
    if caller.client != "ACCOUNT" or caller.account_id is None:
        return base
    has_views = exists().where(CatalogViewAccount.account_id == caller.account_id)
    in_views = exists().where(
        CatalogViewProduct.product_id == Product.id,
        CatalogViewProduct.view_id == CatalogViewAccount.view_id,
        CatalogViewAccount.account_id == caller.account_id,
    )
    return and_(base, or_(~has_views, in_views))


async def visible_product_ids(session: AsyncSession, caller: Caller, product_ids: Iterable[str]) -> set[str]:
    ids = list(set(product_ids))
    if not ids:
        return set()
    rows = await session.scalars(select(Product.id).where(Product.id.in_(ids), visible_products_clause(caller)))
    return set(rows)


async def get_visible_product(session: AsyncSession, caller: Caller, product_id: str) -> Product | None:
    if not product_id or len(product_id) > 64:
        return None
    return await session.scalar(select(Product).where(Product.id == product_id, visible_products_clause(caller)))


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def encode_cursor(values: Sequence[object]) -> str:
    return base64.urlsafe_b64encode(json.dumps(list(values), separators=(",", ":")).encode()).decode().rstrip("=")


def decode_cursor(cursor: str, arity: int) -> list:
    try:
        if len(cursor) > 1024:
            raise ValueError
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        values = json.loads(raw)
        if not isinstance(values, list) or len(values) != arity:
            raise ValueError
        return values
    except (ValueError, TypeError, UnicodeDecodeError) as exc:
        raise BadArgument("malformed cursor: pass the cursor of an edge returned by this field") from exc


def page_size(first: int | None, default: int, maximum: int) -> int:
    if first is None:
        return default
    if first < 0:
        raise BadArgument("first must not be negative")
    return min(first, maximum)


@dataclass
class ProductPage:
    products: list[Product]
    has_next: bool
    total_count: int


async def list_products(
    session: AsyncSession,
    caller: Caller,
    *,
    search: str | None,
    first: int,
    after: str | None,
) -> ProductPage:
    """Visible products ordered by name then id, with a keyset cursor (name, id)."""
    clause = visible_products_clause(caller)
    if search is not None:
        if len(search) > MAX_SEARCH:
            raise BadArgument(f"search must be at most {MAX_SEARCH} characters")
        term = search.strip().lower()
        if term:
            pattern = f"%{_escape_like(term)}%"
            sku_match = exists().where(
                Variant.product_id == Product.id, func.lower(Variant.sku).like(pattern, escape="\\")
            )
            clause = and_(clause, or_(func.lower(Product.name).like(pattern, escape="\\"), sku_match))
    total = await session.scalar(select(func.count()).select_from(Product).where(clause))
    query = select(Product).where(clause)
    if after:
        name, pid = decode_cursor(after, 2)
        if not isinstance(name, str) or not isinstance(pid, str):
            raise BadArgument("malformed cursor")
        query = query.where(or_(Product.name > name, and_(Product.name == name, Product.id > pid)))
    rows = list((await session.scalars(query.order_by(Product.name, Product.id).limit(first + 1))).all())
    return ProductPage(products=rows[:first], has_next=len(rows) > first, total_count=int(total or 0))


def product_cursor(product: Product) -> str:
    return encode_cursor([product.name, product.id])


# ---- batch functions used by the per-request loaders -------------------------------------------


async def variants_by_product(session: AsyncSession, product_ids: Sequence[str], active_only: bool) -> dict:
    query = select(Variant).where(Variant.product_id.in_(product_ids))
    if active_only:
        query = query.where(Variant.active.is_(True))
    grouped: dict[str, list[Variant]] = defaultdict(list)
    for v in await session.scalars(query.order_by(Variant.sku)):
        grouped[v.product_id].append(v)
    return grouped


async def offers_by_variant(session: AsyncSession, variant_ids: Sequence[str], active_only: bool) -> dict:
    query = select(Offer).where(Offer.variant_id.in_(variant_ids))
    if active_only:
        query = query.where(Offer.active.is_(True))
    grouped: dict[str, list[Offer]] = defaultdict(list)
    for o in await session.scalars(query.order_by(Offer.id)):
        grouped[o.variant_id].append(o)
    return grouped


async def suppliers_by_id(session: AsyncSession, ids: Sequence[str]) -> dict[str, Supplier]:
    return {s.id: s for s in await session.scalars(select(Supplier).where(Supplier.id.in_(ids)))}


async def resolve_prices(session: AsyncSession, caller: Caller, offer_ids: Sequence[str]) -> dict[str, ResolvedPrice]:
    """The price each offer has for the caller (account > group > public) in the caller's currency."""
    targets = [OfferPrice.target == "PUBLIC"]
    if caller.account_id:
        targets.append(and_(OfferPrice.target == "ACCOUNT", OfferPrice.account_id == caller.account_id))
    if caller.group_id:
        targets.append(and_(OfferPrice.target == "GROUP", OfferPrice.group_id == caller.group_id))
    rows = (
        await session.scalars(
            select(OfferPrice).where(
                OfferPrice.offer_id.in_(offer_ids), OfferPrice.currency == caller.currency, or_(*targets)
            )
        )
    ).all()
    best: dict[str, OfferPrice] = {}
    for p in rows:
        current = best.get(p.offer_id)
        if current is None or (_TARGET_RANK[p.target], p.id) < (_TARGET_RANK[current.target], current.id):
            best[p.offer_id] = p
    tiers: dict[str, list[tuple[int, int]]] = defaultdict(list)
    if best:
        price_ids = [p.id for p in best.values()]
        for t in await session.scalars(
            select(PriceTier).where(PriceTier.price_id.in_(price_ids)).order_by(PriceTier.min_quantity)
        ):
            tiers[t.price_id].append((t.min_quantity, t.unit_amount))
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


async def offer_infos(session: AsyncSession, caller: Caller, offer_ids: Iterable[str]) -> dict[str, OfferInfo]:
    """Offers with variant, product, visibility and resolved price, in a fixed number of statements."""
    ids = list(set(offer_ids))
    if not ids:
        return {}
    rows = (
        await session.execute(
            select(Offer, Variant, Product)
            .join(Variant, Variant.id == Offer.variant_id)
            .join(Product, Product.id == Variant.product_id)
            .where(Offer.id.in_(ids), Offer.tenant_id == caller.tenant_id)
        )
    ).all()
    visible = await visible_product_ids(session, caller, [p.id for _, _, p in rows])
    prices = await resolve_prices(session, caller, [o.id for o, _, _ in rows])
    return {
        o.id: OfferInfo(offer=o, variant=v, product=p, visible=p.id in visible, price=prices.get(o.id))
        for o, v, p in rows
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
