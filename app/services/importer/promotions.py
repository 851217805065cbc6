"""Promotions and vouchers of a tenant's section, upserted by code. Dates take the relative form of the
format ("now-1d", "now+30d"); values are decimals: a percentage ("10.00") or an amount ("5.00")."""

from __future__ import annotations

from app.models import Product, Promotion, PromotionProduct, Voucher
from app.services.common.money import parse_amount, parse_rate
from app.services.importer.base import ImportBase, given, money


class PromotionsSection(ImportBase):
    async def _promotions(self) -> None:
        products = await self._existing(Product)
        promotions = await self._existing(Promotion, "code")
        for i, p in enumerate(self.data.get("promotions", [])):
            path = f"{self.base}.promotions[{i}]"
            parse = parse_rate if p["kind"] == "PERCENT" else parse_amount
            values = {
                "tenant_id": self.t.id,
                "code": p["code"],
                "kind": p["kind"],
                "value": money(parse, p["value"], f"{path}.value"),
            } | given(
                p,
                name="name",
                level="level",
                active="active",
                requires_voucher="requiresVoucher",
                starts_at=self._date("startsAt", path),
                ends_at=self._date("endsAt", path),
                customer_group="customerGroup",
                min_order_total=self._amount("minOrderTotal", path),
                max_discount_total=self._amount("maxDiscountTotal", path),
            )
            defaults = {
                "name": p["code"],
                "level": "ORDER",
                "active": True,
                "requires_voucher": False,
                "customer_group": "ALL",
            }
            promotion, change = self._upsert("promotions", promotions, p["code"], Promotion, values, defaults)
            await self.s.flush()
            if "products" in p:
                wanted = [
                    self._ref(products, x, f"{path}.products[{j}]", "product").id for j, x in enumerate(p["products"])
                ]
                await self._links(
                    change,
                    "products",
                    PromotionProduct,
                    PromotionProduct.promotion_id,
                    PromotionProduct.product_id,
                    promotion.id,
                    wanted,
                )
            self._count("promotions")
        vouchers = await self._existing(Voucher, "code_ci")
        for i, v in enumerate(self.data.get("vouchers", [])):
            path = f"{self.base}.vouchers[{i}]"
            promotion = self._ref(promotions, v["promotion"], f"{path}.promotion", "promotion")
            values = {
                "tenant_id": self.t.id,
                "code": v["code"],
                "code_ci": v["code"].lower(),
                "promotion_id": promotion.id,
            } | given(
                v,
                usage="usage",
                max_uses="maxUses",
                active="active",
                starts_at=self._date("startsAt", path),
                ends_at=self._date("endsAt", path),
            )
            self._upsert(
                "vouchers", vouchers, v["code"].lower(), Voucher, values, {"usage": "MULTIPLE", "active": True}
            )
            self._count("vouchers")
