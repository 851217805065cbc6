"""One tenant's section: stores, groups, accounts, addresses, users, then the catalog and sources."""

from __future__ import annotations

from sqlalchemy import select

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
from app.services.importer.base import given
from app.services.importer.catalog import CatalogSection
from app.services.importer.methods import MethodsSection
from app.services.importer.promotions import PromotionsSection
from app.services.importer.purchasing import PurchasingSection
from app.services.importer.sources import SourcesSection


class TenantImport(CatalogSection, SourcesSection, MethodsSection, PromotionsSection, PurchasingSection):
    """Upserts one tenant's section. `_ref()` resolves external ids to row ids or fails with the path."""

    async def run(self) -> dict[str, int]:
        d, t, base = self.data, self.t, self.base
        # stores and views
        stores = await self._existing(Store)
        for st in d.get("stores", []):
            self._upsert(
                "stores",
                stores,
                st["externalId"],
                Store,
                {"tenant_id": t.id, "external_id": st["externalId"]} | given(st, name="name", currency="currency"),
                {"name": st["externalId"], "currency": "EUR"},
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
                self._upsert(
                    "storeViews",
                    views,
                    (sid, view["externalId"]),
                    StoreView,
                    {"store_id": sid, "external_id": view["externalId"]}
                    | given(view, name="name", locale="locale", currency="currency"),
                    {"name": view["externalId"]},
                    label=f"{st['externalId']}/{view['externalId']}",
                )
                self._count("storeViews")
            self._count("stores")
        if "defaultStore" in d:
            t.default_store_id = self._ref(store_ids, d["defaultStore"], f"{base}.defaultStore", "store")
        # groups, accounts, addresses
        groups = await self._existing(AccountGroup)
        for g in d.get("accountGroups", []):
            self._upsert(
                "accountGroups",
                groups,
                g["externalId"],
                AccountGroup,
                {"tenant_id": t.id, "external_id": g["externalId"]} | given(g, name="name"),
                {"name": g["externalId"]},
            )
            self._count("accountGroups")
        await self.s.flush()
        group_ids = {k: v.id for k, v in groups.items()}
        accounts = await self._existing(Account)
        account_changes = {}
        for i, a in enumerate(d.get("accounts", [])):
            values = {"tenant_id": t.id, "external_id": a["externalId"], "name": a["name"]}
            if "group" in a:
                values["group_id"] = self._ref(group_ids, a["group"], f"{base}.accounts[{i}].group", "group")
            _, account_changes[a["externalId"]] = self._upsert("accounts", accounts, a["externalId"], Account, values)
            self._count("accounts")
        await self.s.flush()
        account_ids = {k: v.id for k, v in accounts.items()}
        addresses = await self._existing(Address)
        for i, a in enumerate(d.get("accounts", [])):
            aid = account_ids[a["externalId"]]
            if "stores" in a:
                wanted = [
                    self._ref(store_ids, sx, f"{base}.accounts[{i}].stores[{j}]", "store")
                    for j, sx in enumerate(a["stores"])
                ]
                await self._links(
                    account_changes[a["externalId"]],
                    "stores",
                    AccountStore,
                    AccountStore.account_id,
                    AccountStore.store_id,
                    aid,
                    wanted,
                )
            for ad in a.get("addresses", []):
                self._upsert(
                    "addresses",
                    addresses,
                    ad["externalId"],
                    Address,
                    {"tenant_id": t.id, "account_id": aid, "external_id": ad["externalId"]}
                    | given(
                        ad,
                        full_name="fullName",
                        street="street",
                        city="city",
                        postal_code="postalCode",
                        state="state",
                        country="country",
                        phone="phone",
                        is_shipping="isShipping",
                        is_billing="isBilling",
                    ),
                    {"is_shipping": True, "is_billing": True},
                )
                self._count("addresses")
        await self._users(account_ids, store_ids)
        await self._catalog(account_ids, group_ids, store_ids)
        await self._methods()
        await self._promotions()
        await self._purchasing(account_ids)
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
            user = users.get(email)
            values = {"tenant_id": self.t.id, "email": email} | given(
                u,
                role="role",
                first_name="firstName",
                last_name="lastName",
                profile_completed="profileCompleted",
                active="active",
            )
            # A password whose hash already verifies is not re-hashed (a new salt would be a change of nothing).
            if user is None or not verify_password(user.password_hash, u["password"]):
                values["password_hash"] = hash_password(u["password"])
            if "defaultAccount" in u:
                values["default_account_id"] = self._ref(
                    account_ids, u["defaultAccount"], f"{path}.defaultAccount", "account"
                )
            elif "accounts" in u and (user is None or user.default_account_id not in member_of):
                # A new membership list without the current default: its first account becomes the default.
                values["default_account_id"] = member_of[0] if member_of else None
            user, change = self._upsert(
                "users", users, email, User, values, {"role": "BUYER", "profile_completed": False, "active": True}
            )
            await self.s.flush()
            if "accounts" in u:
                await self._links(
                    change, "accounts", Membership, Membership.user_id, Membership.account_id, user.id, member_of
                )
            if "stores" in u:
                wanted = [self._ref(store_ids, sx, f"{path}.stores[{j}]", "store") for j, sx in enumerate(u["stores"])]
                await self._links(change, "stores", UserStore, UserStore.user_id, UserStore.store_id, user.id, wanted)
            self._count("users")
