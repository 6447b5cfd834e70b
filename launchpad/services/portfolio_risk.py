"""At-risk counts for many launches at once, by the same rule as the launch page.

At risk (DESIGN.md section 4): open and not yet overdue, and either due within three
working days of the launch's own calendar without having been started, or waiting on a
dependency that is late. Two queries fetch only the candidates, never every task.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from launchpad.models import Launch, Task, TaskDependency, TemplateVersion
from launchpad.planning.readiness import AT_RISK_WORKING_DAYS
from launchpad.planning.workdays import WorkCalendar
from launchpad.services.launch_access import launch_calendar

SETTLED = ("done", "skipped")


def at_risk_counts(
    session: Session, launches: Sequence[Launch], ids: Any, today: date
) -> dict[int, int]:
    """launch id -> number of at-risk tasks."""
    if not launches:
        return {}
    versions = _load_template_versions(session, launches)  # held: the identity map is weak
    calendars = {launch.id: launch_calendar(launch) for launch in launches}
    del versions
    risky = _late_dependency_tasks(session, ids, today)
    risky |= _unstarted_soon(session, ids, today, calendars)
    counts: dict[int, int] = {}
    for launch_id, _task_id in risky:
        counts[launch_id] = counts.get(launch_id, 0) + 1
    return counts


def _load_template_versions(session: Session, launches: Sequence[Launch]) -> list[TemplateVersion]:
    """One query; the launches' `template_version` then resolve from the identity map."""
    wanted = {launch.template_version_id for launch in launches}
    return list(session.scalars(select(TemplateVersion).where(TemplateVersion.id.in_(wanted))))


def _unstarted_soon(
    session: Session, ids: Any, today: date, calendars: dict[int, WorkCalendar]
) -> set[tuple[int, int]]:
    horizon = {key: _horizon(cal, today) for key, cal in calendars.items()}
    rows = session.execute(
        select(Task.launch_id, Task.id, Task.due_date).where(
            Task.launch_id.in_(ids),
            Task.status == "todo",
            Task.due_date >= today,
            Task.due_date < max(horizon.values()),
        )
    )
    return {(lid, tid) for lid, tid, due in rows if lid in horizon and due < horizon[lid]}


def _horizon(calendar: WorkCalendar, today: date) -> date:
    """The first day that is more than three working days away."""
    return calendar.add_working_days(today, AT_RISK_WORKING_DAYS + 1)


def _late_dependency_tasks(session: Session, ids: Any, today: date) -> set[tuple[int, int]]:
    dependency = aliased(Task)
    rows = session.execute(
        select(Task.launch_id, Task.id)
        .join(TaskDependency, TaskDependency.task_id == Task.id)
        .join(dependency, dependency.id == TaskDependency.depends_on_id)
        .where(
            Task.launch_id.in_(ids),
            Task.status.not_in(SETTLED),
            Task.due_date >= today,
            dependency.status.not_in(SETTLED),
            (dependency.due_date < today) | (dependency.due_date > Task.due_date),
        )
        .distinct()
    )
    return {(launch_id, task_id) for launch_id, task_id in rows}
