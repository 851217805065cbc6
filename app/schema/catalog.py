"""Catalog types: products, variants, offers with the price the viewer pays, suppliers."""

from __future__ import annotations

from decimal import Decimal

import strawberry

from app import models
from app.schema.common import Money, Node, PageInfo
from app.services.catalog.offers import OfferInfo, is_available
from app.services.catalog.prices import ResolvedPrice
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

    async def _price(self, info: strawberry.Info) -> ResolvedPrice | None:
        if self.known is not None:
            return self.known.price
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
    async def supplier(self, info: strawberry.Info) -> Supplier:
        return Supplier.of(await info.context.loaders.supplier.load(self.model.supplier_id))

    @strawberry.field(
        description="Whether the viewer can buy it now: visible, offer, variant and product active, priced for the "
        "viewer, and in stock when the tenant checks stock. Adding it to a draft answers accordingly."
    )
    async def available(self, info: strawberry.Info) -> bool:
        return is_available(await self._info(info), stock_check=info.context.caller.has_flag("STOCK_CHECK"))

    @strawberry.field(
        description="Unit price for the viewer at the minimum quantity (on a draft line whose offer lost its price: "
        "the line's last unit price, with available false)."
    )
    async def price(self, info: strawberry.Info) -> Money:
        p = await self._price(info)
        if p is None:
            if self.fallback_price is None:
                raise OfferPriceMissing(self.model.id)
            return self.fallback_price
        return Money.of(p.unit_for(p.min_quantity), p.currency)

    @strawberry.field(description="Degressive prices: from minQuantity units on, unitPrice applies.")
    async def price_tiers(self, info: strawberry.Info) -> list[PriceTier]:
        p = await self._price(info)
        if p is None:
            return []
        return [PriceTier(min_quantity=q, unit_price=Money.of(a, p.currency)) for q, a in p.tiers]

    @strawberry.field(description='Tax rate in percent, e.g. "20.00" (null when the viewer has no price).')
    async def tax_rate(self, info: strawberry.Info) -> Decimal | None:
        p = await self._price(info)
        return to_decimal(p.tax_rate_bp) if p else None  # basis points: the same two-decimal scaling as cents

    @strawberry.field
    async def min_quantity(self, info: strawberry.Info) -> int:
        p = await self._price(info)
        return p.min_quantity if p else 1

    @strawberry.field
    async def max_quantity(self, info: strawberry.Info) -> int | None:
        p = await self._price(info)
        return p.max_quantity if p else None

    @strawberry.field(description="The quantity must be a multiple of it.")
    async def pack_size(self, info: strawberry.Info) -> int:
        p = await self._price(info)
        return p.pack_size if p else 1

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

    @strawberry.field(description="Offers priced for the viewer (an offer with no price for it is not listed).")
    async def offers(self, info: strawberry.Info) -> list[Offer]:
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

    @strawberry.field
    async def variants(self, info: strawberry.Info) -> list[Variant]:
        return [Variant.of(v, self.model) for v in await info.context.loaders.variants_by_product.load(self.model.id)]

    @classmethod
    def of(cls, p: models.Product) -> Product:
        return cls(id=strawberry.ID(p.id), external_id=p.external_id, name=p.name, description=p.description, model=p)


@strawberry.type
class ProductEdge:
    cursor: str
    node: Product


@strawberry.type
class ProductConnection:
    edges: list[ProductEdge]
    page_info: PageInfo
    total_count: int

    @strawberry.field
    def nodes(self) -> list[Product]:
        return [e.node for e in self.edges]
