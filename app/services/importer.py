"""Import of JSON data files (docs/import.md): validated against the packaged JSON Schema, then upserted
by external id (users by email) in the caller's transaction. A bad file raises ImportFileError with the
path of the first error; the caller rolls back, so nothing is written."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.models import (
    Account,
    AccountGroup,
    AccountStore,
    Address,
    ApiKey,
    CatalogView,
    CatalogViewAccount,
    CatalogViewProduct,
    Membership,
    Offer,
    OfferPrice,
    Operation,
    OperationAccount,
    OperationLine,
    PriceTier,
    Product,
    Quote,
    QuoteLine,
    Store,
    StoreView,
    Supplier,
    Tenant,
    User,
    UserStore,
    Variant,
)
from app.services.money import MoneyError, parse_amount, parse_rate
from app.services.secrets import digest, hash_password, verify_password

SCHEMA_FILE = Path(__file__).resolve().parent.parent / "data" / "import-schema.json"
_RELATIVE = re.compile(r"^now(?:([+-])(\d+)([dhm]))?$")


class ImportFileError(Exception):
    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path}: {message}")
        self.path = path
        self.message = message


@lru_cache
def _validator() -> Draft202012Validator:
    return Draft202012Validator(json.loads(SCHEMA_FILE.read_text()))


def _path(parts: Any) -> str:
    out = "$"
    for p in parts:
        out += f"[{p}]" if isinstance(p, int) else f".{p}"
    return out


def validate_import(data: object) -> None:
    """Raise ImportFileError for the first schema violation (in document order)."""
    errors = sorted(_validator().iter_errors(data), key=lambda e: [str(p) for p in e.absolute_path])
    if errors:
        first = errors[0]
        raise ImportFileError(_path(first.absolute_path), first.message)


def _money(parse: Callable[[object], int], value: object, path: str) -> int:
    try:
        return parse(value)
    except MoneyError as exc:
        raise ImportFileError(path, str(exc)) from None


def parse_date(value: str | None, now: datetime, path: str) -> datetime | None:
    if value is None:
        return None
    m = _RELATIVE.match(value)
    if m:
        if not m.group(1):
            return now
        unit = {"d": "days", "h": "hours", "m": "minutes"}[m.group(3)]
        delta = timedelta(**{unit: int(m.group(2))})
        return now + delta if m.group(1) == "+" else now - delta
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as exc:
        raise ImportFileError(path, f"not a date: {value!r}") from exc
    return parsed.astimezone(UTC)


class _TenantImport:
    """Upserts one tenant's section. `ref()` resolves external ids to row ids or fails with the path."""

    def __init__(self, session: AsyncSession, tenant: Tenant, data: dict, base: str, now: datetime) -> None:
        self.s = session
        self.t = tenant
        self.data = data
        self.base = base
        self.now = now
        self.counts: dict[str, int] = {}

    def _count(self, kind: str, n: int = 1) -> None:
        self.counts[kind] = self.counts.get(kind, 0) + n

    async def _existing(self, model, key: str = "external_id") -> dict[str, Any]:  # noqa: ANN001
        rows = await self.s.scalars(select(model).where(model.tenant_id == self.t.id))
        return {getattr(r, key): r for r in rows}

    @staticmethod
    def _ref(table: dict[str, Any], key: str, path: str, what: str) -> Any:
        if key not in table:
            raise ImportFileError(path, f"unknown {what} {key!r}")
        return table[key]

    @staticmethod
    def _set(obj: Any, **values: Any) -> None:
        for k, v in values.items():
            setattr(obj, k, v)

    async def _upsert(self, table: dict, key: str, model, **values: Any) -> Any:  # noqa: ANN001
        obj = table.get(key)
        if obj is None:
            obj = model(**values)
            self.s.add(obj)
            table[key] = obj
        else:
            self._set(obj, **values)
        return obj

    async def run(self) -> dict[str, int]:
        d, t, base = self.data, self.t, self.base
        # stores and views
        stores = await self._existing(Store)
        for st in d.get("stores", []):
            await self._upsert(
                stores,
                st["externalId"],
                Store,
                tenant_id=t.id,
                external_id=st["externalId"],
                name=st.get("name", st["externalId"]),
                currency=st.get("currency", "EUR"),
            )
        await self.s.flush()
        store_ids = {k: v.id for k, v in stores.items()}
        views = {
            (v.store_id, v.external_id): v
            for v in await self.s.scalars(
                select(StoreView).where(StoreView.store_id.in_(list(store_ids.values()) or [""]))
            )
        }
        for st in d.get("stores", []):
            sid = store_ids[st["externalId"]]
            for view in st.get("storeViews", []):
                await self._upsert(
                    views,
                    (sid, view["externalId"]),
                    StoreView,
                    store_id=sid,
                    external_id=view["externalId"],
                    name=view.get("name", view["externalId"]),
                    locale=view.get("locale"),
                    currency=view.get("currency"),
                )
                self._count("storeViews")
            self._count("stores")
        if "defaultStore" in d:
            t.default_store_id = self._ref(store_ids, d["defaultStore"], f"{base}.defaultStore", "store")
        # groups, accounts, addresses
        groups = await self._existing(AccountGroup)
        for g in d.get("accountGroups", []):
            await self._upsert(
                groups,
                g["externalId"],
                AccountGroup,
                tenant_id=t.id,
                external_id=g["externalId"],
                name=g.get("name", g["externalId"]),
            )
            self._count("accountGroups")
        await self.s.flush()
        group_ids = {k: v.id for k, v in groups.items()}
        accounts = await self._existing(Account)
        for i, a in enumerate(d.get("accounts", [])):
            gid = self._ref(group_ids, a["group"], f"{base}.accounts[{i}].group", "group") if "group" in a else None
            await self._upsert(
                accounts,
                a["externalId"],
                Account,
                tenant_id=t.id,
                external_id=a["externalId"],
                name=a["name"],
                group_id=gid,
            )
            self._count("accounts")
        await self.s.flush()
        account_ids = {k: v.id for k, v in accounts.items()}
        addresses = await self._existing(Address)
        for i, a in enumerate(d.get("accounts", [])):
            aid = account_ids[a["externalId"]]
            if "stores" in a:
                await self.s.execute(delete(AccountStore).where(AccountStore.account_id == aid))
                for j, sx in enumerate(a["stores"]):
                    sid = self._ref(store_ids, sx, f"{base}.accounts[{i}].stores[{j}]", "store")
                    self.s.add(AccountStore(account_id=aid, store_id=sid))
            for ad in a.get("addresses", []):
                await self._upsert(
                    addresses,
                    ad["externalId"],
                    Address,
                    tenant_id=t.id,
                    account_id=aid,
                    external_id=ad["externalId"],
                    full_name=ad.get("fullName"),
                    street=ad["street"],
                    city=ad["city"],
                    postal_code=ad.get("postalCode"),
                    state=ad.get("state"),
                    country=ad["country"],
                    phone=ad.get("phone"),
                    is_shipping=ad.get("isShipping", True),
                    is_billing=ad.get("isBilling", True),
                )
                self._count("addresses")
        await self._users(account_ids, store_ids)
        await self._catalog(account_ids, group_ids, store_ids)
        return self.counts

    async def _users(self, account_ids: dict, store_ids: dict) -> None:
        users = await self._existing(User, "email")
        base = self.base
        for i, u in enumerate(self.data.get("users", [])):
            path = f"{base}.users[{i}]"
            email = u["email"].strip().lower()
            member_of = [
                self._ref(account_ids, a, f"{path}.accounts[{j}]", "account")
                for j, a in enumerate(u.get("accounts", []))
            ]
            default = (
                self._ref(account_ids, u["defaultAccount"], f"{path}.defaultAccount", "account")
                if "defaultAccount" in u
                else (member_of[0] if member_of else None)
            )
            user = users.get(email)
            password_hash = (
                user.password_hash
                if user and verify_password(user.password_hash, u["password"])
                else hash_password(u["password"])
            )
            user = await self._upsert(
                users,
                email,
                User,
                tenant_id=self.t.id,
                email=email,
                password_hash=password_hash,
                role=u.get("role", "BUYER"),
                first_name=u.get("firstName"),
                last_name=u.get("lastName"),
                profile_completed=u.get("profileCompleted", False),
                default_account_id=default,
                active=u.get("active", True),
            )
            await self.s.flush()
            await self.s.execute(delete(Membership).where(Membership.user_id == user.id))
            self.s.add_all(Membership(user_id=user.id, account_id=a) for a in dict.fromkeys(member_of))
            await self.s.execute(delete(UserStore).where(UserStore.user_id == user.id))
            self.s.add_all(
                UserStore(user_id=user.id, store_id=self._ref(store_ids, sx, f"{path}.stores[{j}]", "store"))
                for j, sx in enumerate(u.get("stores", []))
            )
            self._count("users")

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
            unit_amount=_money(parse_amount, pr["amount"], f"{path}.amount"),
            tax_rate_bp=_money(parse_rate, pr.get("taxRate", "0"), f"{path}.taxRate"),
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
                unit_amount=_money(parse_amount, tr["amount"], f"{path}.tiers[{k}].amount"),
            )
            for k, tr in enumerate(pr.get("tiers", []))
        )
        self._count("prices")

    async def _quotes(
        self, account_ids: dict, store_ids: dict, offer_ids: dict, offer_by_variant: dict, variants: dict
    ) -> None:
        quotes = await self._existing(Quote)
        for i, q in enumerate(self.data.get("quotes", [])):
            path = f"{self.base}.quotes[{i}]"
            quote = await self._upsert(
                quotes,
                q["externalId"],
                Quote,
                tenant_id=self.t.id,
                external_id=q["externalId"],
                name=q.get("name"),
                account_id=self._ref(account_ids, q["account"], f"{path}.account", "account"),
                store_id=self._ref(store_ids, q["store"], f"{path}.store", "store"),
                status=q.get("status", "NEW"),
                currency=q.get("currency", "EUR"),
                expires_at=parse_date(q.get("expiresAt"), self.now, f"{path}.expiresAt"),
            )
            await self.s.flush()
            await self.s.execute(delete(QuoteLine).where(QuoteLine.quote_id == quote.id))
            for j, ln in enumerate(q.get("lines", [])):
                lp = f"{path}.lines[{j}]"
                if "offer" in ln:
                    offer_id = self._ref(offer_ids, ln["offer"], f"{lp}.offer", "offer")
                elif "sku" in ln:
                    variant = self._ref(variants, ln["sku"], f"{lp}.sku", "sku")
                    offer_id = self._ref(offer_by_variant, variant.id, f"{lp}.sku", "offer for sku")
                else:
                    raise ImportFileError(lp, "a quote line names an offer or a sku")
                self.s.add(
                    QuoteLine(
                        quote_id=quote.id,
                        offer_id=offer_id,
                        quantity=ln["quantity"],
                        unit_amount=_money(parse_amount, ln["amount"], f"{lp}.amount"),
                        position=j,
                    )
                )
            self._count("quotes")

    async def _operations(self, account_ids: dict, store_ids: dict, variants: dict) -> None:
        operations = await self._existing(Operation)
        for i, o in enumerate(self.data.get("operations", [])):
            path = f"{self.base}.operations[{i}]"
            op = await self._upsert(
                operations,
                o["externalId"],
                Operation,
                tenant_id=self.t.id,
                external_id=o["externalId"],
                name=o["name"],
                store_id=self._ref(store_ids, o["store"], f"{path}.store", "store"),
                type=o.get("type", "PUBLIC"),
                status=o.get("status", "DRAFT"),
                starts_at=parse_date(o["startsAt"], self.now, f"{path}.startsAt"),
                ends_at=parse_date(o.get("endsAt"), self.now, f"{path}.endsAt"),
            )
            await self.s.flush()
            await self.s.execute(delete(OperationLine).where(OperationLine.operation_id == op.id))
            await self.s.execute(delete(OperationAccount).where(OperationAccount.operation_id == op.id))
            for j, ln in enumerate(o.get("lines", [])):
                lp = f"{path}.lines[{j}]"
                lo, hi, rec = ln.get("minQuantity"), ln.get("maxQuantity"), ln.get("recommendedQuantity")
                if lo is not None and hi is not None and lo > hi:
                    raise ImportFileError(f"{lp}.maxQuantity", "maxQuantity is below minQuantity")
                if rec is not None and ((lo is not None and rec < lo) or (hi is not None and rec > hi)):
                    raise ImportFileError(f"{lp}.recommendedQuantity", "recommendedQuantity is outside min..max")
                variant = self._ref(variants, ln["sku"], f"{lp}.sku", "sku")
                self.s.add(
                    OperationLine(
                        operation_id=op.id,
                        variant_id=variant.id,
                        min_quantity=lo,
                        max_quantity=hi,
                        recommended_quantity=rec,
                        position=j,
                    )
                )
            self.s.add_all(
                OperationAccount(
                    operation_id=op.id, account_id=self._ref(account_ids, ax, f"{path}.accounts[{j}]", "account")
                )
                for j, ax in enumerate(o.get("accounts", []))
            )
            self._count("operations")


async def import_data(session: AsyncSession, data: dict, *, now: datetime | None = None) -> dict[str, int]:
    """Validate and upsert `data` in the caller's transaction (not committed here)."""
    validate_import(data)
    now = now or datetime.now(UTC)
    counts: dict[str, int] = {}
    existing = {t.external_id: t for t in await session.scalars(select(Tenant))}
    for i, td in enumerate(data["tenants"]):
        tenant = existing.get(td["externalId"])
        if tenant is None:
            tenant = Tenant(external_id=td["externalId"], name=td.get("name", td["externalId"]), flags=[])
            session.add(tenant)
            existing[td["externalId"]] = tenant
        if "name" in td:
            tenant.name = td["name"]
        if "flags" in td:
            tenant.flags = sorted(set(td["flags"]))
        await session.flush()
        if "apiKeys" in td:
            known = set(await session.scalars(select(ApiKey.key_hash).where(ApiKey.tenant_id == tenant.id)))
            for key in td["apiKeys"]:
                if digest(key) not in known:
                    session.add(ApiKey(tenant_id=tenant.id, key_hash=digest(key)))
        sub = await _TenantImport(session, tenant, td, f"$.tenants[{i}]", now).run()
        counts["tenants"] = counts.get("tenants", 0) + 1
        for k, v in sub.items():
            counts[k] = counts.get(k, 0) + v
    await session.flush()
    return counts


async def import_file(session_factory: async_sessionmaker[AsyncSession], path: str | Path) -> dict[str, int]:
    # A data file is read once, by the CLI, before any request is served: a blocking read is fine here.
    text = Path(path).read_text(encoding="utf-8")  # noqa: ASYNC240
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ImportFileError("$", f"not JSON: {exc.msg} at line {exc.lineno} column {exc.colno}") from exc
    async with session_factory() as session, session.begin():
        return await import_data(session, data)
