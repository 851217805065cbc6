"""The catalog part of a tenant's section: suppliers, products, variants, offers, prices, catalog views."""

from __future__ import annotations

from sqlalchemy import delete

from app.models import (
    CatalogView,
    CatalogViewAccount,
    CatalogViewProduct,
    Offer,
    OfferPrice,
    PriceTier,
    Product,
    Supplier,
    Variant,
)
from app.services.common.money import parse_amount, parse_rate
from app.services.importer.base import ImportBase, ImportFileError, money


class CatalogSection(ImportBase):
    async def _catalog(self, account_ids: dict, group_ids: dict, store_ids: dict) -> None:
        d, t, base = self.data, self.t, self.base
        suppliers = await self._existing(Supplier)
        for s in d.get("suppliers", []):
            await self._upsert(
                suppliers,
                s["externalId"],
                Supplier,
                tenant_id=t.id,
                external_id=s["externalId"],
                name=s.get("name", s["externalId"]),
            )
            self._count("suppliers")
        products = await self._existing(Product)
        variants = await self._existing(Variant, "sku")
        for p in d.get("products", []):
            prod = await self._upsert(
                products,
                p["externalId"],
                Product,
                tenant_id=t.id,
                external_id=p["externalId"],
                name=p["name"],
                description=p.get("description"),
                active=p.get("active", True),
            )
            await self.s.flush()
            for v in p.get("variants", []):
                await self._upsert(
                    variants,
                    v["sku"],
                    Variant,
                    tenant_id=t.id,
                    product_id=prod.id,
                    sku=v["sku"],
                    name=v.get("name", p["name"]),
                    active=v.get("active", True),
                )
                self._count("variants")
            self._count("products")
        await self.s.flush()
        offers = await self._existing(Offer)
        for i, o in enumerate(d.get("offers", [])):
            path = f"{base}.offers[{i}]"
            variant = self._ref(variants, o["sku"], f"{path}.sku", "sku")
            supplier = self._ref(suppliers, o["supplier"], f"{path}.supplier", "supplier")
            offer = await self._upsert(
                offers,
                o["externalId"],
                Offer,
                tenant_id=t.id,
                external_id=o["externalId"],
                variant_id=variant.id,
                supplier_id=supplier.id,
                stock=o.get("stock", 0),
                active=o.get("active", True),
            )
            await self.s.flush()
            if "prices" in o:
                await self.s.execute(delete(OfferPrice).where(OfferPrice.offer_id == offer.id))
                for j, pr in enumerate(o["prices"]):
                    await self._price(offer, pr, f"{path}.prices[{j}]", account_ids, group_ids)
            self._count("offers")
        await self.s.flush()
        offer_ids = {k: v.id for k, v in offers.items()}
        offer_by_variant = {v.variant_id: v.id for v in offers.values()}
        views = await self._existing(CatalogView)
        for i, cv in enumerate(d.get("catalogViews", [])):
            path = f"{base}.catalogViews[{i}]"
            view = await self._upsert(
                views,
                cv["externalId"],
                CatalogView,
                tenant_id=t.id,
                external_id=cv["externalId"],
                name=cv.get("name", cv["externalId"]),
            )
            await self.s.flush()
            if "products" in cv:
                await self.s.execute(delete(CatalogViewProduct).where(CatalogViewProduct.view_id == view.id))
                self.s.add_all(
                    CatalogViewProduct(
                        view_id=view.id, product_id=self._ref(products, px, f"{path}.products[{j}]", "product").id
                    )
                    for j, px in enumerate(cv["products"])
                )
            if "accounts" in cv:
                await self.s.execute(delete(CatalogViewAccount).where(CatalogViewAccount.view_id == view.id))
                self.s.add_all(
                    CatalogViewAccount(
                        view_id=view.id, account_id=self._ref(account_ids, ax, f"{path}.accounts[{j}]", "account")
                    )
                    for j, ax in enumerate(cv["accounts"])
                )
            self._count("catalogViews")
        await self._quotes(account_ids, store_ids, offer_ids, offer_by_variant, variants)
        await self._operations(account_ids, store_ids, variants)

    async def _price(self, offer: Offer, pr: dict, path: str, account_ids: dict, group_ids: dict) -> None:
        target = pr["target"]
        account_id = group_id = None
        if target == "ACCOUNT":
            if "account" not in pr:
                raise ImportFileError(f"{path}.account", "an ACCOUNT price names its account")
            account_id = self._ref(account_ids, pr["account"], f"{path}.account", "account")
        if target == "GROUP":
            if "group" not in pr:
                raise ImportFileError(f"{path}.group", "a GROUP price names its group")
            group_id = self._ref(group_ids, pr["group"], f"{path}.group", "group")
        minimum, maximum = pr.get("minQuantity", 1), pr.get("maxQuantity")
        if maximum is not None and maximum < minimum:
            raise ImportFileError(f"{path}.maxQuantity", "maxQuantity is below minQuantity")
        price = OfferPrice(
            tenant_id=self.t.id,
            offer_id=offer.id,
            target=target,
            account_id=account_id,
            group_id=group_id,
            currency=pr.get("currency", "EUR"),
            unit_amount=money(parse_amount, pr["amount"], f"{path}.amount"),
            tax_rate_bp=money(parse_rate, pr.get("taxRate", "0"), f"{path}.taxRate"),
            min_quantity=minimum,
            max_quantity=maximum,
            pack_size=pr.get("packSize", 1),
        )
        self.s.add(price)
        await self.s.flush()
        self.s.add_all(
            PriceTier(
                price_id=price.id,
                min_quantity=tr["minQuantity"],
                unit_amount=money(parse_amount, tr["amount"], f"{path}.tiers[{k}].amount"),
            )
            for k, tr in enumerate(pr.get("tiers", []))
        )
        self._count("prices")
