"""Promotions and vouchers of a tenant's section, upserted by code. Dates take the relative form of the
format ("now-1d", "now+30d"); values are decimals: a percentage ("10.00") or an amount ("5.00")."""

from __future__ import annotations

from sqlalchemy import delete

from app.models import Product, Promotion, PromotionProduct, Voucher
from app.services.common.money import parse_amount, parse_rate
from app.services.importer.base import ImportBase, money, parse_date


class PromotionsSection(ImportBase):
    async def _promotions(self) -> None:
        products = await self._existing(Product)
        promotions = await self._existing(Promotion, "code")
        for i, p in enumerate(self.data.get("promotions", [])):
            path = f"{self.base}.promotions[{i}]"
            parse = parse_rate if p["kind"] == "PERCENT" else parse_amount
            optional = {
                name: money(parse_amount, p[key], f"{path}.{key}") if p.get(key) is not None else None
                for name, key in (("min_order_total", "minOrderTotal"), ("max_discount_total", "maxDiscountTotal"))
            }
            promotion = await self._upsert(
                promotions,
                p["code"],
                Promotion,
                tenant_id=self.t.id,
                code=p["code"],
                name=p.get("name", p["code"]),
                level=p.get("level", "ORDER"),
                kind=p["kind"],
                value=money(parse, p["value"], f"{path}.value"),
                active=p.get("active", True),
                requires_voucher=p.get("requiresVoucher", False),
                starts_at=parse_date(p.get("startsAt"), self.now, f"{path}.startsAt"),
                ends_at=parse_date(p.get("endsAt"), self.now, f"{path}.endsAt"),
                customer_group=p.get("customerGroup", "ALL"),
                **optional,
            )
            await self.s.flush()
            if "products" in p:
                ids = {
                    self._ref(products, x, f"{path}.products[{j}]", "product").id for j, x in enumerate(p["products"])
                }
                await self.s.execute(delete(PromotionProduct).where(PromotionProduct.promotion_id == promotion.id))
                self.s.add_all(PromotionProduct(promotion_id=promotion.id, product_id=pid) for pid in sorted(ids))
            self._count("promotions")
        vouchers = await self._existing(Voucher, "code_ci")
        for i, v in enumerate(self.data.get("vouchers", [])):
            path = f"{self.base}.vouchers[{i}]"
            promotion = self._ref(promotions, v["promotion"], f"{path}.promotion", "promotion")
            await self._upsert(
                vouchers,
                v["code"].lower(),
                Voucher,
                tenant_id=self.t.id,
                code=v["code"],
                code_ci=v["code"].lower(),
                promotion_id=promotion.id,
                usage=v.get("usage", "MULTIPLE"),
                max_uses=v.get("maxUses"),
                active=v.get("active", True),
                starts_at=parse_date(v.get("startsAt"), self.now, f"{path}.startsAt"),
                ends_at=parse_date(v.get("endsAt"), self.now, f"{path}.endsAt"),
            )
            self._count("vouchers")
