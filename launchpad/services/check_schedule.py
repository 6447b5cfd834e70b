"""Materialising KPI checks: rows for every due instant up to a horizon ahead.

The database, not Redis, remembers what is due (DESIGN.md section 6). The materialiser is
idempotent: it re-derives each target's instants after the last check already claimed or
evaluated, inserts the missing ones and deletes waiting ones a reschedule made obsolete.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from launchpad.models import KpiAlert, KpiTarget, Launch, ScheduledCheck
from launchpad.planning.kpi_schedule import KpiSchedule, resolve_schedule
from launchpad.planning.workdays import WorkCalendar
from launchpad.services.bulk import insert_new
from launchpad.services.launch_access import launch_calendar

CHECKED_LAUNCHES = ("scheduled", "launched")


def materialize_checks(session: Session, now: datetime, horizon: timedelta) -> int:
    """Bring every active target's checks up to `now + horizon`; return rows added."""
    rows = session.execute(
        select(KpiTarget, Launch).join(Launch, Launch.id == KpiTarget.launch_id)
    ).all()
    settled = _settled_until(session)
    waiting = _waiting(session)
    added = 0
    calendars: dict[int, WorkCalendar] = {}
    for target, launch in rows:
        if launch.status not in CHECKED_LAUNCHES:
            _drop(session, set(waiting[target.id].values()))
            continue
        schedule = target_schedule(target, launch, calendars)
        if schedule is None:
            continue  # checks of a target without a schedule are added by hand
        expected = list(schedule.instants(after=settled.get(target.id), until=now + horizon))
        wanted = set(expected)
        stale = {check_id for due, check_id in waiting[target.id].items() if due not in wanted}
        _drop(session, stale)
        added += _insert(session, target, schedule, expected)
    _ensure_alerts(session, [target.id for target, _ in rows], now)
    return added


def target_schedule(
    target: KpiTarget, launch: Launch, calendars: dict[int, WorkCalendar] | None = None
) -> KpiSchedule | None:
    """The target's schedule for its launch (the work calendar only for business days)."""
    offsets = (target.at_offset, target.from_offset, target.until_offset)
    calendar = WorkCalendar()
    if any(offset and "bd" in offset for offset in offsets):
        cache = calendars if calendars is not None else {}
        calendar = cache.setdefault(launch.id, launch_calendar(launch))
    return resolve_schedule(
        target.at_offset,
        target.every,
        target.from_offset,
        target.until_offset,
        launch_day=launch.launch_date,
        zone_name=launch.timezone,
        calendar=calendar,
    )


def add_check(session: Session, target: KpiTarget, due_at: datetime, *, final: bool) -> None:
    """A check outside any schedule (a target without one, or the demo's first check)."""
    row = _row(target, due_at, final)
    insert_new(session, ScheduledCheck, [row], ("target_id", "due_at"))
    _ensure_alerts(session, [target.id], due_at)


def _settled_until(session: Session) -> dict[int, datetime]:
    """Per target, the latest check already claimed or evaluated: history is not rewritten."""
    query = (
        select(ScheduledCheck.target_id, func.max(ScheduledCheck.due_at))
        .where(ScheduledCheck.status != "scheduled")
        .group_by(ScheduledCheck.target_id)
    )
    return {target_id: due for target_id, due in session.execute(query)}


def _waiting(session: Session) -> defaultdict[int, dict[datetime, int]]:
    waiting: defaultdict[int, dict[datetime, int]] = defaultdict(dict)
    query = select(ScheduledCheck.target_id, ScheduledCheck.due_at, ScheduledCheck.id).where(
        ScheduledCheck.status == "scheduled"
    )
    for target_id, due, check_id in session.execute(query):
        waiting[target_id][due] = check_id
    return waiting


def _drop(session: Session, ids: set[int]) -> None:
    if ids:
        session.execute(
            delete(ScheduledCheck).where(
                ScheduledCheck.id.in_(ids), ScheduledCheck.status == "scheduled"
            )
        )


def _insert(session: Session, target: KpiTarget, schedule: KpiSchedule, due: list[datetime]) -> int:
    rows = [_row(target, instant, instant == schedule.last) for instant in due]
    return insert_new(session, ScheduledCheck, rows, ("target_id", "due_at"))


def _row(target: KpiTarget, due_at: datetime, final: bool) -> dict[str, object]:
    ready_at = due_at + timedelta(seconds=target.grace_seconds)
    return {
        "target_id": target.id,
        "due_at": due_at,
        "ready_at": ready_at,
        "final": final,
        "status": "scheduled",
        "attempts": 0,
        "evaluations": 0,
    }


def _ensure_alerts(session: Session, target_ids: list[int], now: datetime) -> None:
    rows = [{"target_id": target_id, "updated_at": now} for target_id in target_ids]
    insert_new(session, KpiAlert, rows, ("target_id",))
