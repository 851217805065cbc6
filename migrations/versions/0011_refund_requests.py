"""Refund requests: the transactions of one refund share a request id and the fingerprint of its input

Revision ID: 0011
Revises: 0010
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("payment_transactions") as batch:
        batch.add_column(sa.Column("request_id", sa.String(length=32), nullable=True))
        batch.add_column(sa.Column("request_hash", sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("payment_transactions") as batch:
        batch.drop_column("request_hash")
        batch.drop_column("request_id")
