"""Requisition lists of an account (issue 28, scope 5): requisition_lists and requisition_list_items

Revision ID: 0012
Revises: 0011

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.models.base

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "requisition_lists",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("tenant_id", sa.String(length=32), nullable=False),
        sa.Column("account_id", sa.String(length=32), nullable=False),
        sa.Column("owner_user_id", sa.String(length=32), nullable=True),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("shared", sa.Boolean(), nullable=False),
        sa.Column("created_at", app.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", app.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_requisition_lists_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["owner_user_id"],
            ["users.id"],
            name=op.f("fk_requisition_lists_owner_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f("fk_requisition_lists_tenant_id_tenants"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_requisition_lists")),
    )
    op.create_index("ix_requisition_lists_scope", "requisition_lists", ["tenant_id", "account_id"])
    op.create_index(op.f("ix_requisition_lists_owner_user_id"), "requisition_lists", ["owner_user_id"])
    op.create_table(
        "requisition_list_items",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("list_id", sa.String(length=32), nullable=False),
        sa.Column("variant_id", sa.String(length=32), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("created_at", app.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["list_id"],
            ["requisition_lists.id"],
            name=op.f("fk_requisition_list_items_list_id_requisition_lists"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["variant_id"],
            ["variants.id"],
            name=op.f("fk_requisition_list_items_variant_id_variants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_requisition_list_items")),
        sa.UniqueConstraint("list_id", "variant_id", name=op.f("uq_requisition_list_items_list_id_variant_id")),
    )
    op.create_index(op.f("ix_requisition_list_items_list_id"), "requisition_list_items", ["list_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_requisition_list_items_list_id"), table_name="requisition_list_items")
    op.drop_table("requisition_list_items")
    op.drop_index(op.f("ix_requisition_lists_owner_user_id"), table_name="requisition_lists")
    op.drop_index("ix_requisition_lists_scope", table_name="requisition_lists")
    op.drop_table("requisition_lists")
