"""B2B purchasing controls (issue 28, scopes 1-4): roles of memberships, approval rules and part approvals,
budgets with their usage per period and the orders' charges, payment terms, cost centres and due dates.

Existing memberships become ADMIN: every user who could do everything in an account keeps doing so.

Revision ID: 0015
Revises: 0014
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.models.base


revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "approval_rules",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("tenant_id", sa.String(length=32), nullable=False),
        sa.Column("account_id", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("min_amount", sa.BigInteger(), nullable=True),
        sa.Column("supplier_id", sa.String(length=32), nullable=True),
        sa.Column("sku", sa.String(length=100), nullable=True),
        sa.Column("requester_role", sa.String(length=20), nullable=True),
        sa.Column("approver_role", sa.String(length=20), nullable=False),
        sa.Column("second_tier_amount", sa.BigInteger(), nullable=True),
        sa.Column("second_tier_role", sa.String(length=20), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", app.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"], ["accounts.id"], name=op.f("fk_approval_rules_account_id_accounts"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["supplier_id"], ["suppliers.id"], name=op.f("fk_approval_rules_supplier_id_suppliers"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f("fk_approval_rules_tenant_id_tenants"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_approval_rules")),
    )
    with op.batch_alter_table("approval_rules", schema=None) as batch_op:
        batch_op.create_index("ix_approval_rules_account", ["tenant_id", "account_id"], unique=False)

    op.create_table(
        "budgets",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("tenant_id", sa.String(length=32), nullable=False),
        sa.Column("account_id", sa.String(length=32), nullable=False),
        sa.Column("cost_centre", sa.String(length=50), nullable=True),
        sa.Column("period", sa.String(length=10), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("created_at", app.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"], ["accounts.id"], name=op.f("fk_budgets_account_id_accounts"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f("fk_budgets_tenant_id_tenants"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_budgets")),
        sa.UniqueConstraint(
            "account_id", "cost_centre", "period", name=op.f("uq_budgets_account_id_cost_centre_period")
        ),
    )
    with op.batch_alter_table("budgets", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_budgets_account_id"), ["account_id"], unique=False)

    op.create_table(
        "budget_usages",
        sa.Column("budget_id", sa.String(length=32), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("spent", sa.BigInteger(), nullable=False),
        sa.Column("reserved", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["budget_id"], ["budgets.id"], name=op.f("fk_budget_usages_budget_id_budgets"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("budget_id", "period_start", name=op.f("pk_budget_usages")),
    )
    op.create_table(
        "budget_charges",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("budget_id", sa.String(length=32), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("order_id", sa.String(length=32), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("released", sa.BigInteger(), nullable=False),
        sa.Column("created_at", app.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["budget_id"], ["budgets.id"], name=op.f("fk_budget_charges_budget_id_budgets"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["order_id"], ["orders.id"], name=op.f("fk_budget_charges_order_id_orders"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_budget_charges")),
    )
    with op.batch_alter_table("budget_charges", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_budget_charges_order_id"), ["order_id"], unique=False)

    op.create_table(
        "part_approvals",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("order_id", sa.String(length=32), nullable=False),
        sa.Column("supplier_id", sa.String(length=32), nullable=False),
        sa.Column("rule_id", sa.String(length=32), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("tiers_needed", sa.Integer(), nullable=False),
        sa.Column("tiers_approved", sa.Integer(), nullable=False),
        sa.Column("requested_by_id", sa.String(length=32), nullable=True),
        sa.Column("requested_by", sa.String(length=254), nullable=True),
        sa.Column("request_comment", sa.Text(), nullable=True),
        sa.Column("first_approver_id", sa.String(length=32), nullable=True),
        sa.Column("decided_by", sa.String(length=254), nullable=True),
        sa.Column("decision_comment", sa.Text(), nullable=True),
        sa.Column("decided_at", app.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("created_at", app.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["order_id"], ["orders.id"], name=op.f("fk_part_approvals_order_id_orders"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["requested_by_id"], ["users.id"], name=op.f("fk_part_approvals_requested_by_id_users"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["rule_id"],
            ["approval_rules.id"],
            name=op.f("fk_part_approvals_rule_id_approval_rules"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["supplier_id"], ["suppliers.id"], name=op.f("fk_part_approvals_supplier_id_suppliers")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_part_approvals")),
    )
    with op.batch_alter_table("part_approvals", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_part_approvals_order_id"), ["order_id"], unique=False)

    with op.batch_alter_table("accounts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("payment_terms", sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column("payment_terms_days", sa.Integer(), nullable=True))

    with op.batch_alter_table("memberships", schema=None) as batch_op:
        batch_op.add_column(sa.Column("role", sa.String(length=20), server_default="BUYER", nullable=False))
        batch_op.add_column(sa.Column("approval_limit", sa.BigInteger(), nullable=True))
    op.execute("UPDATE memberships SET role = 'ADMIN'")

    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.add_column(sa.Column("cost_centre", sa.String(length=50), nullable=True))
        batch_op.add_column(sa.Column("payment_due_at", app.models.base.UTCDateTime(timezone=True), nullable=True))
        batch_op.create_index(batch_op.f("ix_orders_payment_due_at"), ["payment_due_at"], unique=False)

    with op.batch_alter_table("payment_methods", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("requires_payment_terms", sa.Boolean(), server_default=sa.false(), nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("payment_methods", schema=None) as batch_op:
        batch_op.drop_column("requires_payment_terms")

    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_orders_payment_due_at"))
        batch_op.drop_column("payment_due_at")
        batch_op.drop_column("cost_centre")

    with op.batch_alter_table("memberships", schema=None) as batch_op:
        batch_op.drop_column("approval_limit")
        batch_op.drop_column("role")

    with op.batch_alter_table("accounts", schema=None) as batch_op:
        batch_op.drop_column("payment_terms_days")
        batch_op.drop_column("payment_terms")

    with op.batch_alter_table("part_approvals", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_part_approvals_order_id"))

    op.drop_table("part_approvals")
    with op.batch_alter_table("budget_charges", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_budget_charges_order_id"))

    op.drop_table("budget_charges")
    op.drop_table("budget_usages")
    with op.batch_alter_table("budgets", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_budgets_account_id"))

    op.drop_table("budgets")
    with op.batch_alter_table("approval_rules", schema=None) as batch_op:
        batch_op.drop_index("ix_approval_rules_account")

    op.drop_table("approval_rules")
