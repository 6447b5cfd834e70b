"""What the launch page's KPI panel shows: each target's state, last value, target line,
its measurements over time (for the chart) and its next check."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from launchpad.models import KpiAlert, KpiTarget, Measurement, ScheduledCheck
from launchpad.services.errors import NotFound

SERIES_LIMIT = 500


@dataclass(frozen=True, slots=True)
class TargetPanel:
    target: KpiTarget
    status: str  # UNKNOWN, OK, PENDING, FIRING, RECOVERING, NO_DATA, ERROR
    since: datetime | None
    verdict: str | None
    last_value: float | None
    last_checked_at: datetime | None
    next_check_at: datetime | None
    muted: bool
    series: list[tuple[datetime, float]] = field(default_factory=list)  # oldest first


def kpi_panel(session: Session, launch_id: int, now: datetime) -> list[TargetPanel]:
    """One entry per target of the launch, in key order; three queries in all."""
    targets = list(
        session.scalars(
            select(KpiTarget).where(KpiTarget.launch_id == launch_id).order_by(KpiTarget.key)
        )
    )
    ids = [target.id for target in targets]
    alerts = {
        a.target_id: a for a in session.scalars(select(KpiAlert).where(KpiAlert.target_id.in_(ids)))
    }
    upcoming = dict(
        session.execute(
            select(ScheduledCheck.target_id, func.min(ScheduledCheck.due_at))
            .where(ScheduledCheck.target_id.in_(ids), ScheduledCheck.status != "done")
            .group_by(ScheduledCheck.target_id)
        ).all()
    )
    series = _series(session, launch_id, {target.metric for target in targets})
    return [_panel(t, alerts.get(t.id), upcoming.get(t.id), series[t.metric], now) for t in targets]


def measurement_series(
    session: Session, launch_id: int, metric: str
) -> list[tuple[datetime, float]]:
    """One metric's values over time (the chart of a single target)."""
    return _series(session, launch_id, {metric})[metric]


def get_target(session: Session, target_id: int) -> KpiTarget:
    target = session.get(KpiTarget, target_id)
    if target is None:
        raise NotFound("KPI target", target_id)
    return target


def _panel(
    target: KpiTarget,
    alert: KpiAlert | None,
    next_check: datetime | None,
    series: list[tuple[datetime, float]],
    now: datetime,
) -> TargetPanel:
    return TargetPanel(
        target=target,
        status=alert.status if alert else "UNKNOWN",
        since=alert.since if alert else None,
        verdict=alert.verdict if alert else None,
        last_value=alert.last_value if alert else None,
        last_checked_at=alert.last_due_at if alert else None,
        next_check_at=next_check,
        muted=target.muted_until is not None and now < target.muted_until,
        series=series,
    )


def _series(
    session: Session, launch_id: int, metrics: set[str]
) -> defaultdict[str, list[tuple[datetime, float]]]:
    query = (
        select(Measurement.metric, Measurement.observed_at, Measurement.value)
        .where(Measurement.launch_id == launch_id, Measurement.metric.in_(metrics))
        .order_by(Measurement.metric, Measurement.observed_at.desc())
    )
    found: defaultdict[str, list[tuple[datetime, float]]] = defaultdict(list)
    for metric, observed, value in session.execute(query):
        if len(found[metric]) < SERIES_LIMIT:
            found[metric].append((observed, value))
    for values in found.values():
        values.reverse()
    return found
