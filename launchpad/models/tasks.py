"""Checklist tasks of a launch and the dependencies between them."""

from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from launchpad.db import Base, UtcDateTime

TASK_STATUSES = ("todo", "in_progress", "blocked", "done", "skipped")
OPEN_TASK_STATUSES = TASK_STATUSES[:3]
# The open-task partial index's condition; a query uses that index only if it names the
# same statuses as constants (feed_rows does), not as bound parameters.
OPEN_TASK_SQL = f"status IN {OPEN_TASK_STATUSES!r}"
PHASE_NAMES = ("pre-launch", "launch", "post-launch")


class Task(Base):
    """One task; the offsets are kept so rescheduling can re-derive its dates."""

    __tablename__ = "tasks"
    __table_args__ = (
        UniqueConstraint("launch_id", "key"),
        CheckConstraint(f"status IN {TASK_STATUSES!r}", name="status_known"),
        CheckConstraint(f"phase IN {PHASE_NAMES!r}", name="phase_known"),
        Index("ix_tasks_launch_position", "launch_id", "position"),
        Index("ix_tasks_assignee_status", "assignee_id", "status"),
        # The API lists tasks in this order; the index lets deep pages skip without sorting.
        Index("ix_tasks_due_order", "due_date", "launch_id", "position", "id"),
        # A team feed reads its team's open tasks by due date: history (done tasks of every
        # past launch) stays out of the index, and with no guess about the team to make, a
        # prepared statement's generic plan cannot prefer walking every due date instead.
        Index(
            "ix_tasks_open_by_team",
            "team_id",
            "due_date",
            postgresql_where=text(OPEN_TASK_SQL),
            sqlite_where=text(OPEN_TASK_SQL),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    launch_id: Mapped[int] = mapped_column(ForeignKey("launches.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(100))
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    phase: Mapped[str] = mapped_column(String(20))
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"), index=True)
    role: Mapped[str | None] = mapped_column(String(64))
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    due_offset: Mapped[str] = mapped_column(String(20))
    start_offset: Mapped[str | None] = mapped_column(String(20))
    duration: Mapped[str | None] = mapped_column(String(10))
    roll: Mapped[str | None] = mapped_column(String(10))
    due_date: Mapped[date] = mapped_column(index=True)
    due_time: Mapped[time | None]
    start_date: Mapped[date | None]
    pinned: Mapped[bool] = mapped_column(default=False)
    status: Mapped[str] = mapped_column(String(20), default="todo")
    gate: Mapped[bool] = mapped_column(default=False)
    milestone: Mapped[bool] = mapped_column(default=False)
    notes: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(default=0)
    sequence: Mapped[int] = mapped_column(default=0)
    version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())
    completed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class TaskDependency(Base):
    """`task_id` waits for `depends_on_id` (both in the same launch)."""

    __tablename__ = "task_dependencies"

    task_id: Mapped[int] = mapped_column(
        ForeignKey("tasks.id", ondelete="CASCADE"), primary_key=True
    )
    depends_on_id: Mapped[int] = mapped_column(
        ForeignKey("tasks.id", ondelete="CASCADE"), primary_key=True, index=True
    )
