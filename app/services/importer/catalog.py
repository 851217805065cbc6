"""The catalog part of a tenant's section: suppliers, products, variants, offers, prices, catalog views.

An offer's `stock` sets the count on creation; on an existing offer it is an absolute count as of the file's
`asOf`, refused when orders have moved that offer's stock since (docs/import.md, "Stock")."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm.attributes import set_committed_value

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
from app.services.importer.base import Change, ImportBase, ImportFileError, StockConflict, given, money

_PRICE_COLUMNS = (
    "target",
    "account_id",
    "group_id",
    "currency",
    "unit_amount",
    "tax_rate_bp",
    "min_quantity",
    "max_quantity",
    "pack_size",
)


class CatalogSection(ImportBase):
    async def _catalog(self, account_ids: dict, group_ids: dict, store_ids: dict) -> None:
        d, t, base = self.data, self.t, self.base
        suppliers = await self._existing(Supplier)
        for s in d.get("suppliers", []):
            self._upsert(
                "suppliers",
                suppliers,
                s["externalId"],
                Supplier,
                {"tenant_id": t.id, "external_id": s["externalId"]} | given(s, name="name"),
                {"name": s["externalId"]},
            )
            self._count("suppliers")
        products = await self._existing(Product)
        variants = await self._existing(Variant, "sku")
        for p in d.get("products", []):
            prod, _ = self._upsert(
                "products",
                products,
                p["externalId"],
                Product,
                {"tenant_id": t.id, "external_id": p["externalId"]}
                | given(p, name="name", description="description", active="active"),
                {"active": True},
            )
            await self.s.flush()
            for v in p.get("variants", []):
                self._upsert(
                    "variants",
                    variants,
                    v["sku"],
                    Variant,
                    {"tenant_id": t.id, "product_id": prod.id, "sku": v["sku"]}
                    | given(v, name="name", active="active"),
                    {"name": p["name"], "active": True},
                )
                self._count("variants")
            self._count("products")
        await self.s.flush()
        offers = await self._existing(Offer)
        for i, o in enumerate(d.get("offers", [])):
            path = f"{base}.offers[{i}]"
            variant = self._ref(variants, o["sku"], f"{path}.sku", "sku")
            supplier = self._ref(suppliers, o["supplier"], f"{path}.supplier", "supplier")
            offer, change = self._upsert(
                "offers",
                offers,
                o["externalId"],
                Offer,
                {
                    "tenant_id": t.id,
                    "external_id": o["externalId"],
                    "variant_id": variant.id,
                    "supplier_id": supplier.id,
                }
                | given(o, active="active"),
                {"stock": o.get("stock", 0), "active": True},
            )
            await self.s.flush()
            if "stock" in o and not change.created and o["stock"] != offer.stock:
                await self._stock(offer, o["stock"], f"{path}.stock", change)
            if "prices" in o:
                await self._prices(offer, o["prices"], path, account_ids, group_ids, change)
            self._count("offers")
        await self.s.flush()
        offer_ids = {k: v.id for k, v in offers.items()}
        offer_by_variant = {v.variant_id: v.id for v in offers.values()}
        views = await self._existing(CatalogView)
        for i, cv in enumerate(d.get("catalogViews", [])):
            path = f"{base}.catalogViews[{i}]"
            view, change = self._upsert(
                "catalogViews",
                views,
                cv["externalId"],
                CatalogView,
                {"tenant_id": t.id, "external_id": cv["externalId"]} | given(cv, name="name"),
                {"name": cv["externalId"]},
            )
            await self.s.flush()
            if "products" in cv:
                wanted = [
                    self._ref(products, px, f"{path}.products[{j}]", "product").id
                    for j, px in enumerate(cv["products"])
                ]
                await self._links(
                    change,
                    "products",
                    CatalogViewProduct,
                    CatalogViewProduct.view_id,
                    CatalogViewProduct.product_id,
                    view.id,
                    wanted,
                )
            if "accounts" in cv:
                wanted = [
                    self._ref(account_ids, ax, f"{path}.accounts[{j}]", "account")
                    for j, ax in enumerate(cv["accounts"])
                ]
                await self._links(
                    change,
                    "accounts",
                    CatalogViewAccount,
                    CatalogViewAccount.view_id,
                    CatalogViewAccount.account_id,
                    view.id,
                    wanted,
                )
            self._count("catalogViews")
        await self._quotes(account_ids, store_ids, offer_ids, offer_by_variant, variants)
        await self._operations(account_ids, store_ids, variants)

    async def _stock(self, offer: Offer, stock: int, path: str, change: Change) -> None:
        """Set an existing offer's count, unless an order moved its stock after the file's `asOf` (or at all, for a
        file without one): then the count would silently undo those sales, and the import is refused. The
        update repeats the condition, so a reservation that commits between the read and the write is not lost."""
        as_of = self.run_state.as_of
        moved = offer.stock_moved_at
        if moved is not None and (as_of is None or moved > as_of):
            self.run_state.conflicts.append(
                StockConflict(path, self.t.external_id, offer.external_id, offer.stock, moved)
            )
            return
        unmoved = (
            Offer.stock_moved_at.is_(None)
            if as_of is None
            else or_(Offer.stock_moved_at.is_(None), Offer.stock_moved_at <= as_of)
        )
        result = await self.s.execute(
            update(Offer).where(Offer.id == offer.id, unmoved).values(stock=stock),
            execution_options={"synchronize_session": False},
        )
        if result.rowcount != 1:
            await self.s.refresh(offer, ["stock", "stock_moved_at"])
            self.run_state.conflicts.append(
                StockConflict(path, self.t.external_id, offer.external_id, offer.stock, offer.stock_moved_at)
            )
            return
        set_committed_value(offer, "stock", stock)
        change.changed("stock")

    async def _prices(
        self, offer: Offer, prices: list[dict], path: str, account_ids: dict, group_ids: dict, change: Change
    ) -> None:
        """Replace the offer's prices (with their tiers) by the file's list, when they differ."""
        wanted = [self._price(pr, f"{path}.prices[{j}]", account_ids, group_ids) for j, pr in enumerate(prices)]
        current_rows = list(await self.s.scalars(select(OfferPrice).where(OfferPrice.offer_id == offer.id)))
        tiers: dict[str, list[tuple[int, int]]] = {r.id: [] for r in current_rows}
        for tier in await self.s.scalars(select(PriceTier).where(PriceTier.price_id.in_(list(tiers) or [""]))):
            tiers[tier.price_id].append((tier.min_quantity, tier.unit_amount))
        current = [(tuple(getattr(r, c) for c in _PRICE_COLUMNS), tuple(sorted(tiers[r.id]))) for r in current_rows]
        as_key = [(tuple(values[c] for c in _PRICE_COLUMNS), tuple(sorted(ts))) for values, ts in wanted]
        self._count("prices", len(wanted))
        if Counter(current) == Counter(as_key):
            return
        await self.s.execute(delete(OfferPrice).where(OfferPrice.offer_id == offer.id))
        for values, ts in wanted:
            price = OfferPrice(tenant_id=self.t.id, offer_id=offer.id, **values)
            self.s.add(price)
            await self.s.flush()
            self.s.add_all(PriceTier(price_id=price.id, min_quantity=q, unit_amount=a) for q, a in ts)
        change.changed("prices")

    def _price(self, pr: dict, path: str, account_ids: dict, group_ids: dict) -> tuple[dict, list[tuple[int, int]]]:
        """One price of the file, checked: its column values and its tiers (min quantity, unit amount)."""
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
        values = {
            "target": target,
            "account_id": account_id,
            "group_id": group_id,
            "currency": pr.get("currency", "EUR"),
            "unit_amount": money(parse_amount, pr["amount"], f"{path}.amount"),
            "tax_rate_bp": money(parse_rate, pr.get("taxRate", "0"), f"{path}.taxRate"),
            "min_quantity": minimum,
            "max_quantity": maximum,
            "pack_size": pr.get("packSize", 1),
        }
        tiers = [
            (tr["minQuantity"], money(parse_amount, tr["amount"], f"{path}.tiers[{k}].amount"))
            for k, tr in enumerate(pr.get("tiers", []))
        ]
        return values, tiers
