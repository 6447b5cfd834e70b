"""Reading a launch: readiness, go / no-go and the critical path, from a few queries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from launchpad.models import Launch, LaunchSignoff, Task, Team
from launchpad.planning.graph import CriticalPath, ScheduledItem, critical_path
from launchpad.planning.readiness import GoDecision, Readiness, TaskProgress, go_no_go, readiness
from launchpad.services.launch_access import dependency_keys, get_launch, launch_calendar


@dataclass(frozen=True, slots=True)
class LaunchOverview:
    launch: Launch
    readiness: Readiness
    decision: GoDecision
    critical: CriticalPath
    progress: list[TaskProgress]


def launch_overview(session: Session, launch_id: int, today: date) -> LaunchOverview:
    launch = get_launch(session, launch_id)
    rows = session.execute(
        select(
            Task.id,
            Task.key,
            Task.title,
            Task.phase,
            Team.key.label("team"),
            Task.status,
            Task.due_date,
            Task.start_date,
            Task.gate,
        )
        .join(Team, Team.id == Task.team_id)
        .where(Task.launch_id == launch.id)
        .order_by(Task.position)
    ).all()
    depends = dependency_keys(session, {row.id: row.key for row in rows})
    progress = [
        TaskProgress(
            row.key,
            row.title,
            row.phase,
            row.team,
            row.status,
            row.due_date,
            depends.get(row.key, ()),
            row.gate,
        )
        for row in rows
    ]
    calendar = launch_calendar(launch)
    items = [
        ScheduledItem(
            row.key,
            row.phase,
            row.start_date or row.due_date,
            row.due_date,
            depends.get(row.key, ()),
            row.gate,
        )
        for row in rows
    ]
    signed = session.scalars(
        select(Team.key)
        .join(LaunchSignoff, LaunchSignoff.team_id == Team.id)
        .where(LaunchSignoff.launch_id == launch.id)
    )
    return LaunchOverview(
        launch=launch,
        readiness=readiness(progress, today, calendar),
        decision=go_no_go(progress, set(signed)),
        critical=critical_path(items, launch.launch_date, calendar),
        progress=progress,
    )


def task_counts(session: Session, launch_ids: list[int]) -> dict[int, int]:
    rows = session.execute(
        select(Task.launch_id, func.count())
        .where(Task.launch_id.in_(launch_ids))
        .group_by(Task.launch_id)
    )
    return {launch_id: count for launch_id, count in rows}
