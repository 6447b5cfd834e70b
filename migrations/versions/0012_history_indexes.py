"""two indexes for reads that would otherwise grow with history

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-04 23:40:00

- Open tasks by team and due date (partial): team feeds read the open tasks of one team,
  and the done tasks of every past launch stay out of it. Without it, once a prepared
  statement switched to its generic plan, PostgreSQL walked the due-date index over all
  history (36 ms per poll at 100,000 tasks instead of 0.1 ms).
- A launch's measurements newest first: the API's list read and sorted every value of
  the launch to return a page of 50 (7.7 ms at 1,000 values; an index walk now).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | Sequence[str] | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OPEN = sa.text("status IN ('todo', 'in_progress', 'blocked')")  # as models.tasks says


def upgrade() -> None:
    op.create_index(
        "ix_tasks_open_by_team",
        "tasks",
        ["team_id", "due_date"],
        postgresql_where=OPEN,
        sqlite_where=OPEN,
    )
    op.create_index(
        "ix_measurements_newest", "measurements", ["launch_id", "observed_at", "id"]
    )


def downgrade() -> None:
    op.drop_index("ix_measurements_newest", table_name="measurements")
    op.drop_index("ix_tasks_open_by_team", table_name="tasks")
