"""A catalog page read as a whole (issue 23): a page's variants, and their offers with the price each has for
the caller and its supplier, in two statements whatever the number of products, as plain column rows.

`products(first: 50)` with variants and offers is the read every storefront page makes. Through the loaders
it took four statements after the page (variants, offers, prices, suppliers) and a task per field; read here
with the page, the schema answers the whole page from data it already holds (app/schema/catalog.py), and the
execution fast path answers it in one pass.

What is listed is exactly what the loaders list (`products.variants_by_product`, `products.offers_by_variant`,
`prices.resolve_prices`, `products.suppliers_by_id`): a buyer's active variants ordered by SKU; under each,
the offers priced for the caller in its currency (a buyer: active ones) ordered by id, each with its most
specific price (account > group > public, ties: lowest price id) and that price's tiers ascending.

The statements are built once per shape (buyer or not, with or without an account or a group) with bound
parameters; the raw reference of benchmarks/ runs them too (its GraphQL / raw ratio is then the cost of the
GraphQL layer alone)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from sqlalchemy import Select, and_, bindparam, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import Offer, OfferPrice, PriceTier, Supplier, Variant
from app.services.catalog.prices import TARGET_RANK, ResolvedPrice
from app.services.common.caller import Caller


@cache
def variants_statement(active_only: bool) -> Select:
    """The variants of the products `:ids` (an expanding parameter), ordered by product's then SKU."""
    query = select(Variant.id, Variant.product_id, Variant.sku, Variant.name, Variant.active).where(
        Variant.product_id.in_(bindparam("ids", expanding=True))
    )
    if active_only:
        query = query.where(Variant.active.is_(True))
    return query.order_by(Variant.sku)


@cache
def offers_statement(active_only: bool, with_account: bool, with_group: bool) -> Select:
    """The offers of the variants `:ids` priced for the caller (`:currency`, `:account`, `:group`), one row per
    candidate price and tier, with the offer's supplier. An offer with no candidate price has no row, as
    `priced_for` leaves it out."""
    targets = [OfferPrice.target == "PUBLIC"]
    if with_account:
        targets.append(and_(OfferPrice.target == "ACCOUNT", OfferPrice.account_id == bindparam("account")))
    if with_group:
        targets.append(and_(OfferPrice.target == "GROUP", OfferPrice.group_id == bindparam("group")))
    query = (
        select(
            Offer.id,
            Offer.external_id,
            Offer.variant_id,
            Offer.stock,
            Offer.active,
            Supplier.id.label("supplier_id"),
            Supplier.external_id.label("supplier_external_id"),
            Supplier.name.label("supplier_name"),
            OfferPrice.id.label("price_id"),
            OfferPrice.target,
            OfferPrice.currency,
            OfferPrice.unit_amount,
            OfferPrice.tax_rate_bp,
            OfferPrice.min_quantity,
            OfferPrice.max_quantity,
            OfferPrice.pack_size,
            PriceTier.min_quantity.label("tier_quantity"),
            PriceTier.unit_amount.label("tier_amount"),
        )
        .join(OfferPrice, OfferPrice.offer_id == Offer.id)
        .join(Supplier, Supplier.id == Offer.supplier_id)
        .outerjoin(PriceTier, PriceTier.price_id == OfferPrice.id)
        .where(
            Offer.variant_id.in_(bindparam("ids", expanding=True)),
            OfferPrice.currency == bindparam("currency"),
            or_(*targets),
        )
    )
    if active_only:
        query = query.where(Offer.active.is_(True))
    return query.order_by(Offer.id, OfferPrice.id, PriceTier.min_quantity)


def offers_parameters(caller: Caller, variant_ids: Sequence[str]) -> tuple[Select, dict[str, Any]]:
    statement = offers_statement(caller.is_buyer, bool(caller.account_id), bool(caller.group_id))
    params: dict[str, Any] = {"ids": list(variant_ids), "currency": caller.currency}
    if caller.account_id:
        params["account"] = caller.account_id
    if caller.group_id:
        params["group"] = caller.group_id
    return statement, params


@dataclass(frozen=True)
class ListedSupplier:
    id: str
    external_id: str | None
    name: str


@dataclass(slots=True)
class ListedOffer:
    """An offer as listed under a variant: the model's attribute names (`id`, `external_id`, `variant_id`,
    `supplier_id`, `stock`, `active`), its price for the caller and its supplier."""

    id: str
    external_id: str | None
    variant_id: str
    supplier_id: str
    stock: int
    active: bool
    supplier: ListedSupplier
    price: ResolvedPrice | None = None


@dataclass
class PageContents:
    variants: dict[str, list[Any]] = field(default_factory=dict)  # product id -> variant rows, by SKU
    offers: dict[str, list[ListedOffer]] = field(default_factory=dict)  # variant id -> offers, by id


def group_offers(rows: Sequence[Any]) -> dict[str, list[ListedOffer]]:
    """Rows of `offers_statement` (ordered by offer, price, tier) -> the offers of each variant, ordered by id,
    each with its most specific price (rank, then lowest id) and that price's tiers.

    The page's hottest loop (about 190 rows for 50 products): rows are unpacked as tuples and each offer's
    price is built once, from its best candidate, when the next offer starts."""
    by_variant: dict[str, list[ListedOffer]] = defaultdict(list)
    suppliers: dict[str, ListedSupplier] = {}
    rank = TARGET_RANK
    offer: ListedOffer | None = None
    best: tuple | None = None  # the current offer's best candidate: (rank, price id, price columns)
    tiers: dict[str, list[tuple[int, int]]] = {}  # price id -> its tiers, for the current offer's candidates

    def close() -> None:
        if offer is not None and best is not None:
            offer.price = ResolvedPrice(*best[2], tuple(tiers.get(best[1], ())))

    for (
        offer_id, external_id, variant_id, stock, active, supplier_id, supplier_external_id, supplier_name,
        price_id, target, currency, unit_amount, tax_rate_bp, min_quantity, max_quantity, pack_size,
        tier_quantity, tier_amount,
    ) in rows:  # fmt: skip
        if offer is None or offer_id != offer.id:
            close()
            supplier = suppliers.get(supplier_id)
            if supplier is None:
                supplier = suppliers[supplier_id] = ListedSupplier(supplier_id, supplier_external_id, supplier_name)
            offer = ListedOffer(offer_id, external_id, variant_id, supplier_id, stock, active, supplier)
            by_variant[variant_id].append(offer)
            best, tiers = None, {}
        key = rank[target]
        if best is None or (key, price_id) < best[:2]:
            best = (
                key,
                price_id,
                (price_id, target, currency, unit_amount, tax_rate_bp, min_quantity, max_quantity, pack_size),
            )
        if tier_quantity is not None:
            tiers.setdefault(price_id, []).append((tier_quantity, tier_amount))
    close()
    return by_variant


async def page_contents(
    session: AsyncSession, caller: Caller, product_ids: Sequence[str], *, with_offers: bool
) -> PageContents:
    """The variants of a page's products and, when asked, their offers: one statement each."""
    contents = PageContents()
    if not product_ids:
        return contents
    grouped: dict[str, list[Any]] = defaultdict(list)
    for v in (await session.execute(variants_statement(caller.is_buyer), {"ids": list(product_ids)})).all():
        grouped[v.product_id].append(v)
    contents.variants = grouped
    variant_ids = [v.id for vs in grouped.values() for v in vs]
    if with_offers and variant_ids:
        statement, params = offers_parameters(caller, variant_ids)
        contents.offers = group_offers((await session.execute(statement, params)).all())
    return contents
