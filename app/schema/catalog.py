"""Catalog types: products, variants, offers with the price the viewer pays, suppliers."""

from __future__ import annotations

import strawberry

from app import models
from app.schema.common import Money, PageInfo


@strawberry.type
class Supplier:
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
class Offer:
    id: strawberry.ID
    external_id: str | None
    stock: int | None
    model: strawberry.Private[models.Offer]

    @strawberry.field
    async def supplier(self, info: strawberry.Info) -> Supplier:
        return Supplier.of(await info.context.loaders.supplier.load(self.model.supplier_id))

    @strawberry.field(description="Whether the viewer can buy it now: active, priced for the viewer and in stock.")
    async def available(self, info: strawberry.Info) -> bool:
        price = await info.context.loaders.price.load(self.model.id)
        return bool(self.model.active and price is not None and self.model.stock > 0)

    @strawberry.field(description="Unit price for the viewer at the minimum quantity.")
    async def price(self, info: strawberry.Info) -> Money:
        p = await info.context.loaders.price.load(self.model.id)
        return Money.of(p.unit_for(p.min_quantity), p.currency)

    @strawberry.field(description="Degressive prices: from minQuantity units on, unitPrice applies.")
    async def price_tiers(self, info: strawberry.Info) -> list[PriceTier]:
        p = await info.context.loaders.price.load(self.model.id)
        if p is None:
            return []
        return [PriceTier(min_quantity=q, unit_price=Money.of(a, p.currency)) for q, a in p.tiers]

    @strawberry.field(description='Tax rate in percent, e.g. "20.00".')
    async def tax_rate(self, info: strawberry.Info) -> str | None:
        p = await info.context.loaders.price.load(self.model.id)
        return f"{p.tax_rate_bp / 100:.2f}" if p else None

    @strawberry.field
    async def min_quantity(self, info: strawberry.Info) -> int:
        p = await info.context.loaders.price.load(self.model.id)
        return p.min_quantity if p else 1

    @strawberry.field
    async def max_quantity(self, info: strawberry.Info) -> int | None:
        p = await info.context.loaders.price.load(self.model.id)
        return p.max_quantity if p else None

    @strawberry.field(description="The quantity must be a multiple of it.")
    async def pack_size(self, info: strawberry.Info) -> int:
        p = await info.context.loaders.price.load(self.model.id)
        return p.pack_size if p else 1

    @classmethod
    def of(cls, o: models.Offer) -> Offer:
        return cls(id=strawberry.ID(o.id), external_id=o.external_id, stock=o.stock, model=o)


@strawberry.type
class Variant:
    id: strawberry.ID
    sku: str
    name: str

    @strawberry.field(description="Offers priced for the viewer (an offer with no price for it is not listed).")
    async def offers(self, info: strawberry.Info) -> list[Offer]:
        offers = await info.context.loaders.offers_by_variant.load(str(self.id))
        prices = await info.context.loaders.price.load_many([o.id for o in offers])
        return [Offer.of(o) for o, p in zip(offers, prices, strict=True) if p is not None]

    @classmethod
    def of(cls, v: models.Variant) -> Variant:
        return cls(id=strawberry.ID(v.id), sku=v.sku, name=v.name)


@strawberry.type
class Product:
    id: strawberry.ID
    external_id: str | None
    name: str
    description: str | None

    @strawberry.field
    async def variants(self, info: strawberry.Info) -> list[Variant]:
        return [Variant.of(v) for v in await info.context.loaders.variants_by_product.load(str(self.id))]

    @classmethod
    def of(cls, p: models.Product) -> Product:
        return cls(id=strawberry.ID(p.id), external_id=p.external_id, name=p.name, description=p.description)


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
