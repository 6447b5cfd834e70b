"""destination event subscriptions (outbound launch event webhooks)

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-23 13:58:35.386789

A nullable JSON list of event types on destinations; NULL keeps today's meaning (KPI
alerts only), so existing rows need no backfill.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | Sequence[str] | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("destinations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("events", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("destinations", schema=None) as batch_op:
        batch_op.drop_column("events")
