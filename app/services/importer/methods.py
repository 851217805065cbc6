"""Payment and shipping methods of a tenant's section: upserted by code; `excludedProducts` (product external
ids) and `maxOrderTotal` say what content a method supports."""

from __future__ import annotations

from sqlalchemy import delete

from app.models import PaymentMethod, PaymentMethodExclusion, Product, ShippingMethod, ShippingMethodExclusion
from app.services.common.money import parse_amount
from app.services.importer.base import ImportBase, money


class MethodsSection(ImportBase):
    async def _methods(self) -> None:
        products = await self._existing(Product)
        for kind, model, exclusion in (
            ("paymentMethods", PaymentMethod, PaymentMethodExclusion),
            ("shippingMethods", ShippingMethod, ShippingMethodExclusion),
        ):
            existing = await self._existing(model, "code")
            for i, m in enumerate(self.data.get(kind, [])):
                path = f"{self.base}.{kind}[{i}]"
                cap = m.get("maxOrderTotal")
                values = {
                    "tenant_id": self.t.id,
                    "code": m["code"],
                    "name": m.get("name", m["code"]),
                    "active": m.get("active", True),
                    "max_order_total": money(parse_amount, cap, f"{path}.maxOrderTotal") if cap is not None else None,
                    "position": i,
                }
                if model is PaymentMethod:
                    values |= {"kind": m["kind"], "provider": m.get("provider", "direct")}
                else:
                    values |= {
                        "price_amount": money(parse_amount, m["price"], f"{path}.price"),
                        "currency": m.get("currency", "EUR"),
                    }
                method = await self._upsert(existing, m["code"], model, **values)
                await self.s.flush()
                if "excludedProducts" in m:
                    excluded = {
                        self._ref(products, p, f"{path}.excludedProducts[{j}]", "product").id
                        for j, p in enumerate(m["excludedProducts"])
                    }
                    await self.s.execute(delete(exclusion).where(exclusion.method_id == method.id))
                    self.s.add_all(exclusion(method_id=method.id, product_id=pid) for pid in sorted(excluded))
                self._count(kind)
