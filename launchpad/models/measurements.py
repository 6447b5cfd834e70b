"""Measurements of a launch's metrics, and the pulled sources some of them come from."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from launchpad.db import Base, UtcDateTime

MEASUREMENT_SOURCES = ("api", "cli", "csv", "manual", "http", "sql", "demo")
SOURCE_KINDS = ("http", "sql")


class Measurement(Base):
    """One value of one metric, observed at a time; `received_at` is when it reached us.

    The idempotency key is unique per launch, so a replayed push changes nothing.
    """

    __tablename__ = "measurements"
    __table_args__ = (
        UniqueConstraint("launch_id", "idempotency_key"),
        Index("ix_measurements_series", "launch_id", "metric", "observed_at"),
        # A launch's values newest first, a page at a time (API), without sorting them all.
        Index("ix_measurements_newest", "launch_id", "observed_at", "id"),
        CheckConstraint(f"source IN {MEASUREMENT_SOURCES!r}", name="source_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    launch_id: Mapped[int] = mapped_column(ForeignKey("launches.id", ondelete="CASCADE"))
    metric: Mapped[str] = mapped_column(String(100))
    value: Mapped[float]
    observed_at: Mapped[datetime] = mapped_column(UtcDateTime())
    received_at: Mapped[datetime] = mapped_column(UtcDateTime())
    source: Mapped[str] = mapped_column(String(10))
    idempotency_key: Mapped[str] = mapped_column(String(200))
    source_id: Mapped[int | None] = mapped_column(
        ForeignKey("measurement_sources.id", ondelete="SET NULL")
    )
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class MeasurementSource(Base):
    """Where Launchpad pulls a metric from (HTTP JSON or SQL), for one target or metric.

    `config` holds no secret values, only the names of stored secrets.
    """

    __tablename__ = "measurement_sources"
    __table_args__ = (
        CheckConstraint(f"kind IN {SOURCE_KINDS!r}", name="kind_known"),
        Index("ix_measurement_sources_due", "enabled", "next_run_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    launch_id: Mapped[int] = mapped_column(ForeignKey("launches.id", ondelete="CASCADE"))
    metric: Mapped[str] = mapped_column(String(100))
    target_id: Mapped[int | None] = mapped_column(ForeignKey("kpi_targets.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(10))
    config: Mapped[dict[str, Any]] = mapped_column(JSON)
    interval_seconds: Mapped[int] = mapped_column(default=300)
    enabled: Mapped[bool] = mapped_column(default=True)
    next_run_at: Mapped[datetime] = mapped_column(UtcDateTime())
    lease_until: Mapped[datetime | None] = mapped_column(UtcDateTime())
    last_run_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    last_success_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
