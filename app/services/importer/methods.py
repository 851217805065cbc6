"""Payment and shipping methods of a tenant's section: upserted by code; `excludedProducts` (product external
ids) and `maxOrderTotal` say what content a method supports. `position` orders the methods in listings; a new
method without one goes after the existing ones, in the file's order."""

from __future__ import annotations

from app.models import PaymentMethod, PaymentMethodExclusion, Product, ShippingMethod, ShippingMethodExclusion
from app.services.common.money import parse_amount
from app.services.importer.base import ImportBase, given, money


class MethodsSection(ImportBase):
    async def _methods(self) -> None:
        products = await self._existing(Product)
        for kind, model, exclusion in (
            ("paymentMethods", PaymentMethod, PaymentMethodExclusion),
            ("shippingMethods", ShippingMethod, ShippingMethodExclusion),
        ):
            existing = await self._existing(model, "code")
            next_position = max((m.position for m in existing.values()), default=-1) + 1
            for i, m in enumerate(self.data.get(kind, [])):
                path = f"{self.base}.{kind}[{i}]"
                values = {"tenant_id": self.t.id, "code": m["code"]} | given(
                    m,
                    name="name",
                    active="active",
                    position="position",
                    max_order_total=self._amount("maxOrderTotal", path),
                )
                defaults = {"name": m["code"], "active": True, "max_order_total": None, "position": next_position}
                if model is PaymentMethod:
                    values |= {"kind": m["kind"]} | given(
                        m,
                        provider="provider",
                        capture_mode="captureMode",
                        requires_payment_terms="requiresPaymentTerms",
                    )
                    defaults |= {"provider": "direct", "capture_mode": "AUTOMATIC", "requires_payment_terms": False}
                else:
                    values |= {"price_amount": money(parse_amount, m["price"], f"{path}.price")} | given(
                        m, currency="currency"
                    )
                    defaults["currency"] = "EUR"
                method, change = self._upsert(kind, existing, m["code"], model, values, defaults)
                if change.created and "position" not in m:
                    next_position += 1
                await self.s.flush()
                if "excludedProducts" in m:
                    excluded = [
                        self._ref(products, p, f"{path}.excludedProducts[{j}]", "product").id
                        for j, p in enumerate(m["excludedProducts"])
                    ]
                    await self._links(
                        change,
                        "excludedProducts",
                        exclusion,
                        exclusion.method_id,
                        exclusion.product_id,
                        method.id,
                        excluded,
                    )
                self._count(kind)
