"""`task.overdue` events: one per task and due date, once the day is over where the launch is.

A task is overdue the day after its due date in the launch's time zone, as on the launch
page. The sweep looks back a week only: a task late for longer has had its event (or the
endpoint subscribed after the fact and would otherwise get a flood of old news). Moving a
task's due date and missing it again is a new event, since the key carries the date.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from launchpad.models import Destination, Launch, Task
from launchpad.planning.readiness import SETTLED
from launchpad.planning.timezones import zone
from launchpad.services.launch_events import all_subscribers, launch_summary
from launchpad.services.outbox import publish_event

EVENT = "task.overdue"
LOOKBACK = timedelta(days=7)
WATCHED_LAUNCHES = ("scheduled", "launched")


def announce_overdue(session: Session, now: datetime) -> int:
    """Queue `task.overdue` for tasks that fell due recently; return how many rows were new."""
    listeners = all_subscribers(session, EVENT)
    if not listeners:
        return 0
    written = 0
    for task, launch in _recently_due(session, now):
        if task.due_date >= _local_today(launch, now):
            continue
        destinations = _for_launch(listeners, launch.id)
        if destinations:
            written += publish_event(
                session,
                key=f"{EVENT}-{task.id}-{task.due_date.isoformat()}",
                event_type=EVENT,
                payload=_payload(task, launch),
                destinations=destinations,
                now=now,
            )
    return written


def _recently_due(session: Session, now: datetime) -> list[tuple[Task, Launch]]:
    # Time zones run from UTC-12 to UTC+14: a wide date band, narrowed per launch after.
    utc_day = now.date()
    query = (
        select(Task, Launch)
        .join(Launch, Launch.id == Task.launch_id)
        .where(
            Launch.status.in_(WATCHED_LAUNCHES),
            Task.status.not_in(SETTLED),
            Task.due_date >= utc_day - LOOKBACK,
            Task.due_date <= utc_day,
        )
        .order_by(Task.due_date, Task.id)
    )
    return [(task, launch) for task, launch in session.execute(query)]


def _local_today(launch: Launch, now: datetime) -> date:
    return now.astimezone(zone(launch.timezone)).date()


def _for_launch(listeners: Sequence[Destination], launch_id: int) -> list[Destination]:
    return [d for d in listeners if d.launch_id is None or d.launch_id == launch_id]


def _payload(task: Task, launch: Launch) -> dict[str, Any]:
    return {
        "launch": launch_summary(launch),
        "task": {
            "id": task.id,
            "key": task.key,
            "title": task.title,
            "phase": task.phase,
            "team_id": task.team_id,
            "assignee_id": task.assignee_id,
            "status": task.status,
            "due_date": task.due_date.isoformat(),
        },
    }
