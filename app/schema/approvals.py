"""B2B purchasing controls (docs/b2b.md): roles of an account's members, approval rules and the approvals of
supplier parts, budgets, payment terms."""

from __future__ import annotations

from datetime import UTC, datetime, time

import strawberry

from app import models
from app.schema.approval_parts import (
    AccountPermission,
    AccountRole,
    BudgetMode,
    BudgetPeriod,
    PaymentTerms,
    PaymentTermsType,
)
from app.schema.common import Money, UserError, user_errors
from app.schema.order_parts import CommercialOrder
from app.schema.orders import Order, commercial_order
from app.schema.viewer import CustomerUser
from app.services.access import permissions
from app.services.approvals.flow import ApprovalResult
from app.services.common.outcome import Outcome
from app.services.purchase_controls import admin, periods


@strawberry.type(description="A user of the account with its role there.")
class AccountMember:
    user: CustomerUser
    role: AccountRole
    permissions: list[AccountPermission] = strawberry.field(description="What the role allows.")
    approval_limit: Money | None = strawberry.field(
        description="An approver approves supplier parts up to this total; null: no limit of its own."
    )

    @classmethod
    def of(cls, m: admin.Member, currency: str) -> AccountMember:
        return cls(
            user=CustomerUser.of(m.user),
            role=AccountRole(m.role),
            permissions=sorted(permissions.permissions_of(m.role)),
            approval_limit=Money.of(m.approval_limit, currency) if m.approval_limit is not None else None,
        )


@strawberry.type(description="When a supplier part of a draft needs an approval: every predicate given must hold.")
class ApprovalRule:
    id: strawberry.ID
    name: str
    min_amount: Money | None = strawberry.field(description="The part's total (tax included) must be above it.")
    supplier_id: strawberry.ID | None = strawberry.field(description="Only parts of this supplier.")
    sku: str | None = strawberry.field(description="Only parts holding this SKU.")
    requester_role: AccountRole | None = strawberry.field(description="Only drafts of users with this role.")
    approver_role: AccountRole = strawberry.field(description="Who approves (ADMIN approves any tier).")
    second_tier_amount: Money | None = strawberry.field(
        description="A part above this total needs a second approval, by another user."
    )
    second_tier_role: AccountRole | None = strawberry.field(description="Who gives the second approval (ADMIN).")

    @classmethod
    def of(cls, r: models.ApprovalRule, currency: str) -> ApprovalRule:
        def m(v: int | None) -> Money | None:
            return Money.of(v, currency) if v is not None else None

        return cls(
            id=strawberry.ID(r.id),
            name=r.name,
            min_amount=m(r.min_amount),
            supplier_id=strawberry.ID(r.supplier_id) if r.supplier_id else None,
            sku=r.sku,
            requester_role=AccountRole(r.requester_role) if r.requester_role else None,
            approver_role=AccountRole(r.approver_role),
            second_tier_amount=m(r.second_tier_amount),
            second_tier_role=AccountRole(r.second_tier_role) if r.second_tier_role else None,
        )


@strawberry.type(description="A spend limit of the account (or one of its cost centres) per period.")
class Budget:
    id: strawberry.ID
    cost_centre: str | None = strawberry.field(description="Null: every order of the account is charged.")
    period: BudgetPeriod
    mode: BudgetMode = strawberry.field(
        description="BLOCK: an order over it is refused; REQUIRE_APPROVAL: it needs an approval, which overrides "
        "the limit."
    )
    period_start: datetime = strawberry.field(description="When the current period began (midnight UTC).")
    period_end: datetime = strawberry.field(description="When the current period ends: the next one begins.")
    amount: Money
    spent: Money = strawberry.field(description="Placed orders' totals this period, less cancellations and refunds.")
    reserved: Money = strawberry.field(description="Totals of orders waiting for an approval.")
    available: Money = strawberry.field(description="What is left: amount - spent - reserved.")

    @classmethod
    def of(cls, v: admin.BudgetView) -> Budget:
        b, c = v.budget, v.budget.currency
        return cls(
            id=strawberry.ID(b.id),
            cost_centre=b.cost_centre,
            period=BudgetPeriod(b.period),
            mode=BudgetMode(b.mode),
            period_start=datetime.combine(v.period_start, time(), tzinfo=UTC),
            period_end=datetime.combine(v.period_end, time(), tzinfo=UTC),
            amount=Money.of(b.amount, c),
            spent=Money.of(v.spent, c),
            reserved=Money.of(v.reserved, c),
            available=Money.of(b.amount - v.spent - v.reserved, c),
        )


@strawberry.input(description="An approval rule (docs/b2b.md).")
class ApprovalRuleInput:
    name: str
    min_amount: str | None = None
    supplier: str | None = strawberry.field(default=None, description="Supplier id or external id.")
    sku: str | None = None
    requester_role: AccountRole | None = None
    approver_role: AccountRole = permissions.AccountRole.APPROVER
    second_tier_amount: str | None = None
    second_tier_role: AccountRole | None = None


@strawberry.input(description="A budget: created, or its amount and mode changed, per cost centre and period.")
class BudgetInput:
    account_id: strawberry.ID | None = strawberry.field(
        default=None, description="Operators: the account (id or external id); buyers: their own."
    )
    cost_centre: str | None = None
    period: BudgetPeriod = periods.BudgetPeriod.MONTH
    amount: str = strawberry.field(description='A decimal amount such as "5000.00".')
    mode: BudgetMode | None = strawberry.field(
        default=None, description="Null: a new budget is BLOCK, an existing one keeps its mode."
    )


@strawberry.input
class PaymentTermsInput:
    type: PaymentTermsType
    days: int | None = None


@strawberry.type(description="The result of requestApproval, approveDraftOrder and rejectDraftOrder.")
class ApprovalPayload:
    order: CommercialOrder | None = strawberry.field(
        description="The order the call was about, as it is now: a DraftOrder (waiting, or a draft again after a "
        "rejection) or an Order (placed in full)."
    )
    placed_orders: list[Order] = strawberry.field(
        description="The orders this call placed: approved parts (split off when others still wait) and, with "
        "placeRest, the parts that needed no approval."
    )
    errors: list[UserError]


def approval_payload(outcome: Outcome[ApprovalResult]) -> ApprovalPayload:
    result = outcome.value if outcome.commit else None
    return ApprovalPayload(
        order=commercial_order(result.order) if result is not None else None,
        placed_orders=[Order.of(o) for o in result.placed] if result is not None else [],
        errors=user_errors(outcome.errors),
    )


@strawberry.type
class AccountMemberPayload:
    member: AccountMember | None
    errors: list[UserError]


@strawberry.type
class RemoveAccountMemberPayload:
    removed_user_id: strawberry.ID | None
    errors: list[UserError]


@strawberry.type
class ApprovalRulePayload:
    approval_rule: ApprovalRule | None
    errors: list[UserError]


@strawberry.type
class BudgetPayload:
    budget: Budget | None
    errors: list[UserError]


@strawberry.type
class DeletedPayload:
    deleted_id: strawberry.ID | None
    errors: list[UserError]


@strawberry.type
class PaymentTermsPayload:
    payment_terms: PaymentTerms | None
    errors: list[UserError]
