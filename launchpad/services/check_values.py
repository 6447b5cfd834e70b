"""The value each check judges: the latest observed at or before its due instant.

Only values that arrived by the check's ready instant (due + grace) count, so a check
evaluated late (the workers were down) concludes exactly what it would have on time, and
one evaluated twice concludes the same thing twice. One query per batch, whatever its size.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, aliased

from launchpad.models import KpiTarget, Measurement, MeasurementSource, ScheduledCheck


@dataclass(frozen=True, slots=True)
class Reading:
    value: float
    observed_at: datetime


def readings_as_of(
    session: Session, checks: list[ScheduledCheck], targets: dict[int, KpiTarget]
) -> dict[int, Reading]:
    """check id -> the reading it judges (absent: no data, or only data that is too old)."""
    m = aliased(Measurement)
    latest = (
        select(m.id)
        .where(
            m.launch_id == KpiTarget.launch_id,
            m.metric == KpiTarget.metric,
            m.observed_at <= ScheduledCheck.due_at,
            m.received_at <= ScheduledCheck.ready_at,
        )
        .order_by(m.observed_at.desc(), m.id.desc())
        .limit(1)
        .correlate(ScheduledCheck, KpiTarget)
        .scalar_subquery()
    )
    pairs = session.execute(
        select(ScheduledCheck.id, latest)
        .join(KpiTarget, KpiTarget.id == ScheduledCheck.target_id)
        .where(ScheduledCheck.id.in_([check.id for check in checks]))
    ).all()
    found = {measurement_id for _, measurement_id in pairs if measurement_id is not None}
    values = {
        row.id: Reading(row.value, row.observed_at)
        for row in session.execute(
            select(Measurement.id, Measurement.value, Measurement.observed_at).where(
                Measurement.id.in_(found)
            )
        )
    }
    by_check = {check_id: values[mid] for check_id, mid in pairs if mid is not None}
    return {c.id: r for c in checks if (r := by_check.get(c.id)) and _fresh(c, targets, r)}


def _fresh(check: ScheduledCheck, targets: dict[int, KpiTarget], reading: Reading) -> bool:
    max_age = targets[check.target_id].max_age_seconds
    return max_age is None or check.due_at - reading.observed_at <= timedelta(seconds=max_age)


def source_failures(session: Session, targets: list[KpiTarget]) -> dict[int, str]:
    """target id -> the error of a pulled source whose last run failed (for ERROR outcomes)."""
    launch_ids = {target.launch_id for target in targets}
    query = select(MeasurementSource).where(
        MeasurementSource.launch_id.in_(launch_ids),
        MeasurementSource.enabled,
        MeasurementSource.last_error.is_not(None),
        or_(
            MeasurementSource.target_id.is_(None),
            MeasurementSource.target_id.in_([target.id for target in targets]),
        ),
    )
    failures: dict[int, str] = {}
    for source in session.scalars(query):
        for target in targets:
            applies = source.target_id in (None, target.id) and source.metric == target.metric
            if applies and target.launch_id == source.launch_id and source.last_error:
                failures[target.id] = f"source #{source.id} ({source.kind}): {source.last_error}"
    return failures
