"""offers.stock_moved_at: when an order last reserved or released the stock (the importer's asOf rule)

Revision ID: 0007
Revises: 0006
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.models.base

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("offers") as batch:
        batch.add_column(sa.Column("stock_moved_at", app.models.base.UTCDateTime(timezone=True), nullable=True))
    # Existing offers: the last change of an order that holds or held their stock (placed, canceled, or waiting
    # for its payment). Later than the movement itself at worst, so an older import file is refused, never let
    # through. Offers no such order names stay NULL: no movement.
    op.execute(
        """
        UPDATE offers SET stock_moved_at = (
            SELECT max(o.updated_at) FROM order_lines l JOIN orders o ON o.id = l.order_id
            WHERE l.offer_id = offers.id AND o.status IN ('PAYMENT_PENDING', 'PLACED', 'CANCELED')
        )
        """
    )


def downgrade() -> None:
    with op.batch_alter_table("offers") as batch:
        batch.drop_column("stock_moved_at")
