"""Stripe per tenant and early ends (issue 27): payments.provider_account, payments.release_due_at

Revision ID: 0017
Revises: 0016

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.models.base

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("payments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("provider_account", sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column("release_due_at", app.models.base.UTCDateTime(timezone=True), nullable=True))
        batch_op.create_index(batch_op.f("ix_payments_release_due_at"), ["release_due_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("payments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_payments_release_due_at"))
        batch_op.drop_column("release_due_at")
        batch_op.drop_column("provider_account")
