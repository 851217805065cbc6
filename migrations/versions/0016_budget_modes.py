"""Budget modes and refunds that release budgets when they succeed (issue 28, scope 3).

- budgets.mode: BLOCK (an order over the budget is refused; every existing budget) or REQUIRE_APPROVAL (an
  order over it needs an approval, and the approver's decision overrides the limit);
- part_approvals.over_budget: the request was over a REQUIRE_APPROVAL budget (what the approver decides on);
- payment_transactions.releases_budget: a refundOrder refund gives its amount back to the order's budgets when
  it succeeds. Refunds asked before this revision released theirs when asked: False, so none releases twice.

Revision ID: 0016
Revises: 0015
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("budgets", schema=None) as batch_op:
        batch_op.add_column(sa.Column("mode", sa.String(length=20), nullable=False, server_default="BLOCK"))
    with op.batch_alter_table("part_approvals", schema=None) as batch_op:
        batch_op.add_column(sa.Column("over_budget", sa.Boolean(), nullable=False, server_default=sa.false()))
    with op.batch_alter_table("payment_transactions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("releases_budget", sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table("payment_transactions", schema=None) as batch_op:
        batch_op.drop_column("releases_budget")
    with op.batch_alter_table("part_approvals", schema=None) as batch_op:
        batch_op.drop_column("over_budget")
    with op.batch_alter_table("budgets", schema=None) as batch_op:
        batch_op.drop_column("mode")
