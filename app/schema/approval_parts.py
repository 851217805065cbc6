"""The approval of a supplier part, as orders and drafts show it (app/schema/approvals.py has the rest)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

import strawberry

from app import models
from app.schema.catalog import Supplier
from app.schema.common import Money
from app.services.access import permissions
from app.services.purchase_controls import budgets, periods, terms


@strawberry.enum(description="Where the approval of a supplier part stands.")
class PartApprovalStatus(StrEnum):
    PENDING = "PENDING"
    APPROVED = "APPROVED"
    REJECTED = "REJECTED"


@strawberry.type(description="The approval of one supplier part of an order (requestApproval).")
class PartApproval:
    id: strawberry.ID
    status: PartApprovalStatus
    amount: Money = strawberry.field(description="The part's total when the approval was asked.")
    tiers_needed: int
    tiers_approved: int
    requested_by: str | None
    request_comment: str | None
    decided_by: str | None
    decision_comment: str | None
    decided_at: datetime | None
    over_budget: bool = strawberry.field(
        description="The order was over a REQUIRE_APPROVAL budget when asked: approving overrides the budget."
    )
    supplier_id: strawberry.Private[str]

    @strawberry.field
    async def supplier(self, info: strawberry.Info) -> Supplier:
        return Supplier.of(await info.context.loaders.supplier.load(self.supplier_id))

    @classmethod
    def of(cls, a: models.PartApproval, currency: str) -> PartApproval:
        return cls(
            id=strawberry.ID(a.id),
            status=PartApprovalStatus(a.status),
            amount=Money.of(a.amount, currency),
            tiers_needed=a.tiers_needed,
            tiers_approved=a.tiers_approved,
            requested_by=a.requested_by,
            request_comment=a.request_comment,
            decided_by=a.decided_by,
            decision_comment=a.decision_comment,
            decided_at=a.decided_at,
            over_budget=a.over_budget,
            supplier_id=a.supplier_id,
        )


AccountRole = strawberry.enum(
    permissions.AccountRole, name="AccountRole", description="A user's role in an account (docs/b2b.md)."
)
AccountPermission = strawberry.enum(
    permissions.Permission, name="AccountPermission", description="What a role allows (docs/b2b.md)."
)
BudgetPeriod = strawberry.enum(periods.BudgetPeriod, name="BudgetPeriod", description="A budget's calendar period.")
BudgetMode = strawberry.enum(
    budgets.BudgetMode, name="BudgetMode", description="What an order over a budget meets (docs/b2b.md)."
)
PaymentTermsType = strawberry.enum(terms.PaymentTerms, name="PaymentTermsType", description="Payment terms.")


@strawberry.type(description="An account's payment terms.")
class PaymentTerms:
    type: PaymentTermsType
    days: int | None = strawberry.field(description="NET: days after placement.")


def terms_of(a: models.Account) -> PaymentTerms | None:
    if a.payment_terms is None:
        return None
    return PaymentTerms(type=PaymentTermsType(a.payment_terms), days=a.payment_terms_days)
