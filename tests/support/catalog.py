"""More catalog rows than the demo data has, inserted in bulk (for tests of what grows with the rows)."""

from __future__ import annotations

from sqlalchemy import insert, select

from app.models import Offer, OfferPrice, Product, Variant, new_id
from tests.support.gateway import Gateway


async def extra_offers(gw: Gateway, n: int) -> None:
    """n more sellable offers (one product and variant each), inserted in bulk."""
    async with gw.session_factory() as s, s.begin():
        base = await s.scalar(select(Offer).limit(1))
        tenant = base.tenant_id
        products, variants, offers, prices = [], [], [], []
        for i in range(n):
            pid, vid, oid = new_id(), new_id(), new_id()
            products.append({"id": pid, "tenant_id": tenant, "external_id": f"P-SC-{i}", "name": f"SC {i:03d}"})
            variants.append({"id": vid, "tenant_id": tenant, "product_id": pid, "sku": f"SC-{i:03d}", "name": "v"})
            offers.append(
                {
                    "id": oid,
                    "tenant_id": tenant,
                    "external_id": f"O-SC-{i}",
                    "variant_id": vid,
                    "supplier_id": base.supplier_id,
                    "stock": 100,
                }
            )
            prices.append(
                {
                    "id": new_id(),
                    "tenant_id": tenant,
                    "offer_id": oid,
                    "target": "PUBLIC",
                    "currency": "EUR",
                    "unit_amount": 100 + i,
                    "tax_rate_bp": 2000,
                }
            )
        await s.execute(insert(Product), products)
        await s.execute(insert(Variant), variants)
        await s.execute(insert(Offer), offers)
        await s.execute(insert(OfferPrice), prices)
