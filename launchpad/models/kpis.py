"""KPI target definitions of a launch and how each one alerts (evaluation lives in services)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from launchpad.db import Base, UtcDateTime

COMPARATORS = (">=", ">", "<=", "<", "==", "!=")


class KpiTarget(Base):
    """`metric comparator threshold`, checked once (`at`) or every `every` in a window."""

    __tablename__ = "kpi_targets"
    __table_args__ = (
        UniqueConstraint("launch_id", "key"),
        CheckConstraint(f"comparator IN {COMPARATORS!r}", name="comparator_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    launch_id: Mapped[int] = mapped_column(ForeignKey("launches.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(100))
    name: Mapped[str] = mapped_column(String(200))
    metric: Mapped[str] = mapped_column(String(100), index=True)
    comparator: Mapped[str] = mapped_column(String(2))
    threshold: Mapped[float]
    role: Mapped[str | None] = mapped_column(String(64))
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id"))
    unit: Mapped[str] = mapped_column(String(40), default="")
    at_offset: Mapped[str | None] = mapped_column(String(20))
    every: Mapped[str | None] = mapped_column(String(10))
    from_offset: Mapped[str | None] = mapped_column(String(20))
    until_offset: Mapped[str | None] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    # Alerting policy (DESIGN.md section 6); the defaults alert on the first miss.
    pending_evals: Mapped[int] = mapped_column(default=1, server_default="1")
    keep_firing_evals: Mapped[int] = mapped_column(default=1, server_default="1")
    repeat_interval_seconds: Mapped[int | None]
    grace_seconds: Mapped[int] = mapped_column(default=300, server_default="300")
    max_age_seconds: Mapped[int | None]  # older values count as no data (None: any age)
    muted_until: Mapped[datetime | None] = mapped_column(UtcDateTime())
