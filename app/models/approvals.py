"""Purchasing controls of an account (issue 28): approval rules and the approvals of drafts' supplier parts,
budgets with their per-period usage and the charges orders made against them."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, Boolean, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, UTCDateTime, created_at, pk


class ApprovalRule(Base):
    """When a supplier part of a draft (its lines of one supplier) needs an approval: every predicate given
    must hold (part total above `min_amount`, the supplier, a SKU in the part, the requester's role)."""

    __tablename__ = "approval_rules"
    __table_args__ = (Index("ix_approval_rules_account", "tenant_id", "account_id"),)
    id: Mapped[str] = pk()
    tenant_id: Mapped[str] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"))
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(200))
    min_amount: Mapped[int | None] = mapped_column(BigInteger)  # the part's total must be above it
    supplier_id: Mapped[str | None] = mapped_column(ForeignKey("suppliers.id", ondelete="CASCADE"))
    sku: Mapped[str | None] = mapped_column(String(100))
    requester_role: Mapped[str | None] = mapped_column(String(20))
    approver_role: Mapped[str] = mapped_column(String(20), default="APPROVER")
    # A part above this total needs a second approval, by another user holding `second_tier_role`.
    second_tier_amount: Mapped[int | None] = mapped_column(BigInteger)
    second_tier_role: Mapped[str | None] = mapped_column(String(20))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at = created_at()


class PartApproval(Base):
    """The approval of one supplier part of an order: asked by requestApproval, decided by approvers."""

    __tablename__ = "part_approvals"
    id: Mapped[str] = pk()
    order_id: Mapped[str] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    supplier_id: Mapped[str] = mapped_column(ForeignKey("suppliers.id"))
    rule_id: Mapped[str | None] = mapped_column(ForeignKey("approval_rules.id", ondelete="SET NULL"))
    status: Mapped[str] = mapped_column(String(20), default="PENDING")  # PENDING | APPROVED | REJECTED
    # Part of the order's current request; False once the request is over (the order back to DRAFT, or placed).
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    amount: Mapped[int] = mapped_column(BigInteger, default=0)  # the part's total when asked
    tiers_needed: Mapped[int] = mapped_column(Integer, default=1)
    tiers_approved: Mapped[int] = mapped_column(Integer, default=0)
    requested_by_id: Mapped[str | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    requested_by: Mapped[str | None] = mapped_column(String(254))
    request_comment: Mapped[str | None] = mapped_column(Text)
    first_approver_id: Mapped[str | None] = mapped_column(String(32))
    decided_by: Mapped[str | None] = mapped_column(String(254))
    decision_comment: Mapped[str | None] = mapped_column(Text)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The request was over a REQUIRE_APPROVAL budget: approving it overrides the budget's limit (docs/b2b.md).
    over_budget: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    created_at = created_at()


class Budget(Base):
    """A spend limit of an account (all its orders, or those of one cost centre) per period."""

    __tablename__ = "budgets"
    __table_args__ = (UniqueConstraint("account_id", "cost_centre", "period"),)
    id: Mapped[str] = pk()
    tenant_id: Mapped[str] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"))
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    cost_centre: Mapped[str | None] = mapped_column(String(50))
    period: Mapped[str] = mapped_column(String(10))  # MONTH | QUARTER | YEAR
    amount: Mapped[int] = mapped_column(BigInteger)
    # BLOCK: an order over it is refused; REQUIRE_APPROVAL: it needs an approval, which overrides the limit.
    mode: Mapped[str] = mapped_column(String(20), default="BLOCK", server_default="BLOCK")
    currency: Mapped[str] = mapped_column(String(3), default="EUR")
    created_at = created_at()


class BudgetUsage(Base):
    """What a budget has spent and reserved in one period (the row the conditional updates move)."""

    __tablename__ = "budget_usages"
    budget_id: Mapped[str] = mapped_column(ForeignKey("budgets.id", ondelete="CASCADE"), primary_key=True)
    period_start: Mapped[date] = mapped_column(Date, primary_key=True)
    spent: Mapped[int] = mapped_column(BigInteger, default=0)
    reserved: Mapped[int] = mapped_column(BigInteger, default=0)


class BudgetCharge(Base):
    """An order's amount against a budget period: RESERVED (waiting for approval), SPENT (placed) minus what
    cancellations and refunds gave back (`released`)."""

    __tablename__ = "budget_charges"
    id: Mapped[str] = pk()
    budget_id: Mapped[str] = mapped_column(ForeignKey("budgets.id", ondelete="CASCADE"))
    period_start: Mapped[date] = mapped_column(Date)
    order_id: Mapped[str] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    state: Mapped[str] = mapped_column(String(10))  # RESERVED | SPENT | RELEASED
    amount: Mapped[int] = mapped_column(BigInteger)
    released: Mapped[int] = mapped_column(BigInteger, default=0)
    created_at = created_at()
