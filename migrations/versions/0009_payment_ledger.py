"""The payment ledger: payment_transactions and refund_lines; capture modes of methods and attempts; the
amount cancellations took off an order

Revision ID: 0009
Revises: 0008
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.models.base

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "payment_transactions",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("order_id", sa.String(length=32), nullable=False),
        sa.Column("payment_id", sa.String(length=32), nullable=True),
        sa.Column("logistic_order_id", sa.String(length=32), nullable=True),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("shipping_amount", sa.BigInteger(), nullable=False),
        sa.Column("provider_reference", sa.String(length=200), nullable=True),
        sa.Column("idempotency_key", sa.String(length=255), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("actor", sa.String(length=254), nullable=True),
        sa.Column("failure", sa.Text(), nullable=True),
        sa.Column("created_at", app.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("settled_at", app.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["order_id"], ["orders.id"], ondelete="RESTRICT"),
        sa.ForeignKeyConstraint(["payment_id"], ["payments.id"], ondelete="RESTRICT"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("order_id", "kind", "idempotency_key"),
    )
    op.create_index(op.f("ix_payment_transactions_order_id"), "payment_transactions", ["order_id"])
    op.create_index(op.f("ix_payment_transactions_payment_id"), "payment_transactions", ["payment_id"])
    op.create_table(
        "refund_lines",
        sa.Column("transaction_id", sa.String(length=32), nullable=False),
        sa.Column("order_line_id", sa.String(length=32), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(["order_line_id"], ["order_lines.id"], ondelete="RESTRICT"),
        sa.ForeignKeyConstraint(["transaction_id"], ["payment_transactions.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("transaction_id", "order_line_id"),
    )
    with op.batch_alter_table("payment_methods") as batch:
        batch.add_column(sa.Column("capture_mode", sa.String(length=20), nullable=False, server_default="AUTOMATIC"))
    with op.batch_alter_table("payments") as batch:
        batch.add_column(sa.Column("capture_mode", sa.String(length=20), nullable=False, server_default="AUTOMATIC"))
    with op.batch_alter_table("orders") as batch:
        batch.add_column(sa.Column("canceled_amount", sa.BigInteger(), nullable=False, server_default="0"))
    # Orders paid before the ledger existed: their approved attempts become an authorization and a capture,
    # so that their captured amount (and what can be refunded) is what they paid.
    for kind in ("AUTHORIZATION", "CAPTURE"):
        op.execute(
            f"""INSERT INTO payment_transactions (id, order_id, payment_id, kind, status, amount, currency,
                    shipping_amount, actor, created_at, settled_at)
                SELECT substr(id, 1, 30) || '{kind[0]}{kind[1]}', order_id, id, '{kind}', 'SUCCEEDED', amount,
                    currency, 0, 'migration', updated_at, updated_at
                FROM payments WHERE status = 'APPROVED'"""
        )


def downgrade() -> None:
    with op.batch_alter_table("orders") as batch:
        batch.drop_column("canceled_amount")
    with op.batch_alter_table("payments") as batch:
        batch.drop_column("capture_mode")
    with op.batch_alter_table("payment_methods") as batch:
        batch.drop_column("capture_mode")
    op.drop_table("refund_lines")
    op.drop_index(op.f("ix_payment_transactions_payment_id"), table_name="payment_transactions")
    op.drop_index(op.f("ix_payment_transactions_order_id"), table_name="payment_transactions")
    op.drop_table("payment_transactions")
