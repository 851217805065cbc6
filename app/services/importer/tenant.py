"""One tenant's section: stores, groups, accounts, addresses, users, then the catalog and sources."""

from __future__ import annotations

from sqlalchemy import delete, select

from app.models import (
    Account,
    AccountGroup,
    AccountStore,
    Address,
    Membership,
    Store,
    StoreView,
    User,
    UserStore,
)
from app.services.common.secrets import hash_password, verify_password
from app.services.importer.catalog import CatalogSection
from app.services.importer.methods import MethodsSection
from app.services.importer.promotions import PromotionsSection
from app.services.importer.sources import SourcesSection


class TenantImport(CatalogSection, SourcesSection, MethodsSection, PromotionsSection):
    """Upserts one tenant's section. `_ref()` resolves external ids to row ids or fails with the path."""

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
        await self._methods()
        await self._promotions()
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
