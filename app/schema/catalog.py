"""Catalog types: products, variants, offers with the price the viewer pays, suppliers."""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache
from operator import attrgetter
from typing import Any

import strawberry

from app import models
from app.schema.common import Money, Node, PageInfo
from app.schema.execution import answered_from
from app.services.catalog.listing import ListedOffer, PageContents
from app.services.catalog.offers import OfferInfo, is_available, listed_available
from app.services.catalog.prices import ResolvedPrice
from app.services.catalog.products import product_cursor
from app.services.common.money import to_decimal


@strawberry.type
class Supplier(Node):
    id: strawberry.ID
    external_id: str | None
    name: str

    @classmethod
    def of(cls, s: models.Supplier) -> Supplier:
        return cls(id=strawberry.ID(s.id), external_id=s.external_id, name=s.name)


@strawberry.type
class PriceTier:
    min_quantity: int
    unit_price: Money


def _price_money(p: ResolvedPrice) -> Money:
    return Money.of(p.unit_for(p.min_quantity), p.currency)


def _price_tiers(p: ResolvedPrice | None) -> list[PriceTier]:
    if p is None or not p.tiers:
        return []
    return _tier_list(p.tiers, p.currency)


@lru_cache(maxsize=4096)
def _tier_list(tiers: tuple[tuple[int, int], ...], currency: str) -> list[PriceTier]:
    """Tiers are values never modified once made (as Money): equal tiers share one list across requests."""
    return [PriceTier(min_quantity=q, unit_price=Money.of(a, currency)) for q, a in tiers]


def _min_quantity(p: ResolvedPrice | None) -> int:
    return p.min_quantity if p is not None else 1


def _pack_size(p: ResolvedPrice | None) -> int:
    return p.pack_size if p is not None else 1


@lru_cache(maxsize=1024)
def _tax_rate(basis_points: int) -> Decimal:
    """Basis points -> percent (the same two-decimal scaling as cents); a tenant has a handful of rates, and a
    Decimal is never modified once made, so one per rate is shared."""
    return to_decimal(basis_points)


@strawberry.type
class Offer(Node):
    id: strawberry.ID
    external_id: str | None
    stock: int | None
    model: strawberry.Private[models.Offer]
    # What the rules know of this offer when the parent already has it (a draft line's evaluation, or the
    # variant and product it is listed under); else it is loaded.
    known: strawberry.Private[OfferInfo | None] = None
    listed_under: strawberry.Private[tuple[models.Variant, models.Product] | None] = None
    # The price to show when the viewer has none any more (a draft line: its last unit price).
    fallback_price: strawberry.Private[Money | None] = None
    # Read with a catalog page (services/catalog/listing.py, `Offer.on_page`): the offer with its price, and
    # the answers of its fields, made when the page is read. The execution fast path reads them as plain
    # attributes (`attrgetter`, no Python call per field: a page answers them for ~150 offers); None where the
    # resolver must run (not read with a page, or a null answer, which the resolver gives).
    listed: strawberry.Private[ListedOffer | None] = None
    listed_supplier: strawberry.Private[Supplier | None] = None
    listed_available: strawberry.Private[bool | None] = None
    listed_price: strawberry.Private[Money | None] = None
    listed_tiers: strawberry.Private[list[PriceTier] | None] = None
    listed_tax_rate: strawberry.Private[Decimal | None] = None
    listed_min_quantity: strawberry.Private[int | None] = None
    listed_max_quantity: strawberry.Private[int | None] = None
    listed_pack_size: strawberry.Private[int | None] = None

    async def _price(self, info: strawberry.Info) -> ResolvedPrice | None:
        if self.known is not None:
            return self.known.price
        if self.listed is not None:
            return self.listed.price
        return await info.context.loaders.price.load(self.model.id)

    async def _info(self, info: strawberry.Info) -> OfferInfo | None:
        if self.known is not None:
            return self.known
        if self.listed_under is not None:
            variant, product = self.listed_under
            # Listed under a product the viewer was shown: visible by construction.
            return OfferInfo(self.model, variant, product, visible=True, price=await self._price(info))
        return await info.context.loaders.offer_info.load(self.model.id)

    @strawberry.field
    @answered_from(attrgetter("listed_supplier"))
    async def supplier(self, info: strawberry.Info) -> Supplier:
        if self.listed_supplier is not None:
            return self.listed_supplier
        return Supplier.of(await info.context.loaders.supplier.load(self.model.supplier_id))

    @strawberry.field(
        description="Whether the viewer can buy it now: visible, offer, variant and product active, priced for the "
        "viewer, and in stock when the tenant checks stock. Adding it to a draft answers accordingly."
    )
    @answered_from(attrgetter("listed_available"))
    async def available(self, info: strawberry.Info) -> bool:
        return is_available(await self._info(info), stock_check=info.context.caller.has_flag("STOCK_CHECK"))

    @strawberry.field(
        description="Unit price for the viewer at the minimum quantity (on a draft line whose offer lost its price: "
        "the line's last unit price, with available false)."
    )
    @answered_from(attrgetter("listed_price"))
    async def price(self, info: strawberry.Info) -> Money:
        p = await self._price(info)
        if p is None:
            if self.fallback_price is None:
                raise OfferPriceMissing(self.model.id)
            return self.fallback_price
        return _price_money(p)

    @strawberry.field(description="Degressive prices: from minQuantity units on, unitPrice applies.")
    @answered_from(attrgetter("listed_tiers"))
    async def price_tiers(self, info: strawberry.Info) -> list[PriceTier]:
        return _price_tiers(await self._price(info))

    @strawberry.field(description='Tax rate in percent, e.g. "20.00" (null when the viewer has no price).')
    @answered_from(attrgetter("listed_tax_rate"))
    async def tax_rate(self, info: strawberry.Info) -> Decimal | None:
        p = await self._price(info)
        return _tax_rate(p.tax_rate_bp) if p else None

    @strawberry.field
    @answered_from(attrgetter("listed_min_quantity"))
    async def min_quantity(self, info: strawberry.Info) -> int:
        return _min_quantity(await self._price(info))

    @strawberry.field
    @answered_from(attrgetter("listed_max_quantity"))
    async def max_quantity(self, info: strawberry.Info) -> int | None:
        p = await self._price(info)
        return p.max_quantity if p else None

    @strawberry.field(description="The quantity must be a multiple of it.")
    @answered_from(attrgetter("listed_pack_size"))
    async def pack_size(self, info: strawberry.Info) -> int:
        return _pack_size(await self._price(info))

    @classmethod
    def of(
        cls,
        o: models.Offer,
        *,
        known: OfferInfo | None = None,
        listed_under: tuple[models.Variant, models.Product] | None = None,
        fallback_price: Money | None = None,
    ) -> Offer:
        return cls(
            id=strawberry.ID(o.id),
            external_id=o.external_id,
            stock=o.stock,
            model=o,
            known=known,
            listed_under=listed_under,
            fallback_price=fallback_price,
        )

    @classmethod
    def on_page(cls, o: ListedOffer, variant: Any, product: Any, supplier: Supplier, *, stock_check: bool) -> Offer:  # noqa: ANN401 - the page's column rows
        """An offer of a catalog page with the answers of its fields: the same values as its resolvers give
        (visible by construction: listed under a product the viewer is shown)."""
        p = o.price
        offer = cls(
            id=strawberry.ID(o.id),
            external_id=o.external_id,
            stock=o.stock,
            model=o,  # type: ignore[arg-type] - a ListedOffer has the model's attribute names
            listed_under=(variant, product),
            listed=o,
            listed_supplier=supplier,
            listed_available=listed_available(o, variant, product, p, stock_check=stock_check),
            listed_min_quantity=_min_quantity(p),
            listed_pack_size=_pack_size(p),
            listed_tiers=_price_tiers(p),
        )
        if p is not None:  # else price, tax rate and max quantity are left to their resolvers (a null answer)
            offer.listed_price = _price_money(p)
            offer.listed_tax_rate = _tax_rate(p.tax_rate_bp)
            offer.listed_max_quantity = p.max_quantity
        return offer


class OfferPriceMissing(RuntimeError):
    """An offer reached the API with no price for the viewer and nothing to fall back on: a bug (listings only
    hold offers priced for the viewer), masked as INTERNAL."""


@strawberry.type
class Variant(Node):
    id: strawberry.ID
    sku: str
    name: str
    model: strawberry.Private[models.Variant]
    product: strawberry.Private[models.Product | None] = None
    # Read with a catalog page (services/catalog/listing.py): the offers listed under it.
    listed_offers: strawberry.Private[list[Offer] | None] = None

    @strawberry.field(description="Offers priced for the viewer (an offer with no price for it is not listed).")
    @answered_from(attrgetter("listed_offers"))
    async def offers(self, info: strawberry.Info) -> list[Offer]:
        if self.listed_offers is not None:
            return self.listed_offers
        offers = await info.context.loaders.offers_by_variant.load(self.model.id)
        under = (self.model, self.product) if self.product is not None else None
        return [Offer.of(o, listed_under=under) for o in offers]

    @classmethod
    def of(cls, v: models.Variant, product: models.Product | None = None) -> Variant:
        return cls(id=strawberry.ID(v.id), sku=v.sku, name=v.name, model=v, product=product)


@strawberry.type
class Product(Node):
    id: strawberry.ID
    external_id: str | None
    name: str
    description: str | None
    model: strawberry.Private[models.Product]
    # Read with a catalog page (services/catalog/listing.py): its variants, with their offers when selected.
    listed_variants: strawberry.Private[list[Variant] | None] = None

    @strawberry.field
    @answered_from(attrgetter("listed_variants"))
    async def variants(self, info: strawberry.Info) -> list[Variant]:
        if self.listed_variants is not None:
            return self.listed_variants
        return [Variant.of(v, self.model) for v in await info.context.loaders.variants_by_product.load(self.model.id)]

    @classmethod
    def of(cls, p: models.Product) -> Product:
        return cls(id=strawberry.ID(p.id), external_id=p.external_id, name=p.name, description=p.description, model=p)

    @classmethod
    def listed(
        cls,
        p: Any,  # noqa: ANN401 - a page's column row
        contents: PageContents,
        suppliers: dict[str, Supplier],
        *,
        with_offers: bool,
        stock_check: bool,
    ) -> Product:
        """A product of a page read with its contents: its variants and their offers, each offer with what its
        rules know (visible by construction: listed under a product the viewer is shown). `suppliers` holds
        the page's Supplier objects, one per supplier."""
        product = cls.of(p)
        variants = []
        for v in contents.variants.get(p.id, ()):
            variant = Variant.of(v, p)
            if with_offers:
                offers = []
                for o in contents.offers.get(v.id, ()):
                    supplier = suppliers.get(o.supplier_id)
                    if supplier is None:
                        supplier = suppliers[o.supplier_id] = Supplier.of(o.supplier)
                    offers.append(Offer.on_page(o, v, p, supplier, stock_check=stock_check))
                variant.listed_offers = offers
            variants.append(variant)
        product.listed_variants = variants
        return product


@answered_from()
def _edge_cursor(root: Any) -> str:  # noqa: ANN401 - the ProductEdge being answered
    return product_cursor(root.row)


@strawberry.type
class ProductEdge:
    # Encoded only when asked for.
    cursor: str = strawberry.field(resolver=_edge_cursor)
    node: Product
    row: strawberry.Private[Any]


@strawberry.type
class ProductConnection:
    edges: list[ProductEdge]
    page_info: PageInfo
    total_count: int

    @strawberry.field
    def nodes(self) -> list[Product]:
        return [e.node for e in self.edges]
