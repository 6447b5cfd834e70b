"""Scheduled checks of KPI targets and each target's alert state (DESIGN.md section 6).

A check is a row materialised ahead of time, so the database, not Redis, knows what is
due. Its lifecycle: `scheduled` -> `enqueued` (claimed by a sweep, with a lease) ->
`done`; a reaper puts expired leases back to `scheduled`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from launchpad.db import Base, UtcDateTime

CHECK_STATUSES = ("scheduled", "enqueued", "done")
OUTCOMES = ("MET", "MISSED", "NO_DATA", "ERROR")
ALERT_STATUSES = ("UNKNOWN", "OK", "PENDING", "FIRING", "RECOVERING", "NO_DATA", "ERROR")


class ScheduledCheck(Base):
    __tablename__ = "kpi_checks"
    __table_args__ = (
        UniqueConstraint("target_id", "due_at"),
        Index("ix_kpi_checks_status_ready", "status", "ready_at"),
        CheckConstraint(f"status IN {CHECK_STATUSES!r}", name="status_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    target_id: Mapped[int] = mapped_column(ForeignKey("kpi_targets.id", ondelete="CASCADE"))
    due_at: Mapped[datetime] = mapped_column(UtcDateTime())
    ready_at: Mapped[datetime] = mapped_column(UtcDateTime())  # due_at + the target's grace
    final: Mapped[bool] = mapped_column(default=False)
    status: Mapped[str] = mapped_column(String(10), default="scheduled")
    claim: Mapped[str | None] = mapped_column(String(64))
    lease_until: Mapped[datetime | None] = mapped_column(UtcDateTime())
    attempts: Mapped[int] = mapped_column(default=0)
    evaluations: Mapped[int] = mapped_column(default=0)
    outcome: Mapped[str | None] = mapped_column(String(10))
    value: Mapped[float | None]
    detail: Mapped[str | None] = mapped_column(Text)
    status_after: Mapped[str | None] = mapped_column(String(12))
    events: Mapped[list[Any] | None] = mapped_column(JSON)
    evaluated_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


class KpiAlert(Base):
    """The alert state machine's memory for one target (planning.alert_states.Memory)."""

    __tablename__ = "kpi_alerts"
    __table_args__ = (CheckConstraint(f"status IN {ALERT_STATUSES!r}", name="status_known"),)

    target_id: Mapped[int] = mapped_column(
        ForeignKey("kpi_targets.id", ondelete="CASCADE"), primary_key=True
    )
    status: Mapped[str] = mapped_column(String(12), default="UNKNOWN")
    since: Mapped[datetime | None] = mapped_column(UtcDateTime())
    incident: Mapped[int] = mapped_column(default=0)
    incident_open: Mapped[bool] = mapped_column(default=False)
    incident_business: Mapped[bool] = mapped_column(default=False)
    sequence: Mapped[int] = mapped_column(default=0)
    misses: Mapped[int] = mapped_column(default=0)
    mets: Mapped[int] = mapped_column(default=0)
    last_notified_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    verdict: Mapped[str | None] = mapped_column(String(10))
    last_due_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    last_outcome: Mapped[str | None] = mapped_column(String(10))
    last_value: Mapped[float | None]
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())
