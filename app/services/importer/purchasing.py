"""B2B purchasing controls of a tenant's section (docs/b2b.md, docs/import.md): per account its `paymentTerms`,
`approvalRules` (upserted by name) and `budgets` (upserted by cost centre and period; a budget left without a
`mode` keeps its own, BLOCK when new); per user its role in each account (`accountRoles`, by account external
id)."""

from __future__ import annotations

from sqlalchemy import select, update

from app.models import Account, ApprovalRule, Budget, Membership, Supplier, User
from app.services.common.money import parse_amount
from app.services.importer.base import ImportBase, money


class PurchasingSection(ImportBase):
    async def _purchasing(self, account_ids: dict[str, str]) -> None:
        base = self.base
        suppliers = {
            s.external_id: s.id for s in await self.s.scalars(select(Supplier).where(Supplier.tenant_id == self.t.id))
        }
        for i, a in enumerate(self.data.get("accounts", [])):
            path = f"{base}.accounts[{i}]"
            account_id = account_ids[a["externalId"]]
            if "paymentTerms" in a:
                terms = a["paymentTerms"]
                account = await self.s.get(Account, account_id)
                assert account is not None
                account.payment_terms = terms["type"] if terms else None
                account.payment_terms_days = terms.get("days") if terms else None
            rules = {
                r.name: r
                for r in await self.s.scalars(select(ApprovalRule).where(ApprovalRule.account_id == account_id))
            }
            for j, r in enumerate(a.get("approvalRules", [])):
                at = f"{path}.approvalRules[{j}]"
                values = {
                    "min_amount": money(parse_amount, r["minAmount"], f"{at}.minAmount") if "minAmount" in r else None,
                    "supplier_id": self._ref(suppliers, r["supplier"], f"{at}.supplier", "supplier")
                    if "supplier" in r
                    else None,
                    "sku": r.get("sku"),
                    "requester_role": r.get("requesterRole"),
                    "approver_role": r.get("approverRole", "APPROVER"),
                    "second_tier_amount": money(parse_amount, r["secondTierAmount"], f"{at}.secondTierAmount")
                    if "secondTierAmount" in r
                    else None,
                    "second_tier_role": r.get("secondTierRole"),
                    "active": r.get("active", True),
                }
                rule = rules.get(r["name"])
                if rule is None:
                    self.s.add(ApprovalRule(tenant_id=self.t.id, account_id=account_id, name=r["name"], **values))
                else:
                    for k, v in values.items():
                        setattr(rule, k, v)
                self._count("approvalRules")
            budgets = {
                (b.cost_centre, b.period): b
                for b in await self.s.scalars(select(Budget).where(Budget.account_id == account_id))
            }
            for j, b in enumerate(a.get("budgets", [])):
                amount = money(parse_amount, b["amount"], f"{path}.budgets[{j}].amount")
                key = (b.get("costCentre"), b["period"])
                mode = b.get("mode")
                if key in budgets:
                    budgets[key].amount = amount
                    budgets[key].mode = mode or budgets[key].mode
                else:
                    self.s.add(
                        Budget(
                            tenant_id=self.t.id,
                            account_id=account_id,
                            cost_centre=key[0],
                            period=key[1],
                            amount=amount,
                            mode=mode or "BLOCK",
                            currency=b.get("currency", "EUR"),
                        )
                    )
                self._count("budgets")
        users = {u.email: u.id for u in await self.s.scalars(select(User).where(User.tenant_id == self.t.id))}
        for i, u in enumerate(self.data.get("users", [])):
            for account, role in (u.get("accountRoles") or {}).items():
                account_id = self._ref(account_ids, account, f"{base}.users[{i}].accountRoles.{account}", "account")
                await self.s.execute(
                    update(Membership)
                    .where(Membership.user_id == users[u["email"].strip().lower()], Membership.account_id == account_id)
                    .values(role=role)
                )
        await self.s.flush()
