"""addresses.is_default and addresses.deleted_at: the buyer's own address book (default address, soft delete)

Revision ID: 0008
Revises: 0007
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.models.base

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("addresses") as batch:
        # Existing addresses: none is the default, none is deleted.
        batch.add_column(sa.Column("is_default", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch.add_column(sa.Column("deleted_at", app.models.base.UTCDateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("addresses") as batch:
        batch.drop_column("deleted_at")
        batch.drop_column("is_default")
