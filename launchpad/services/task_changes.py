"""Changing one task: its status and a hand-set due date."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from sqlalchemy import select
from sqlalchemy.orm import Session

from launchpad.models import Launch, Task, TaskDependency, User
from launchpad.models.tasks import TASK_STATUSES
from launchpad.planning.offsets import Roll, parse_duration, parse_offset
from launchpad.services import audit
from launchpad.services.errors import InvalidInput, NotFound, StaleEdit
from launchpad.services.launch_access import flush_or_stale, launch_calendar, launch_for_change
from launchpad.services.launch_events import emit, launch_summary


@dataclass(frozen=True, slots=True)
class TaskChange:
    task: Task
    warnings: tuple[str, ...] = ()


def task_for_change(session: Session, task_id: int, expected_version: int | None) -> Task:
    task = session.get(Task, task_id)
    if task is None:
        raise NotFound("task", task_id)
    if expected_version is not None and expected_version != task.version:
        raise StaleEdit(task.version, audit.recent_changes(session, "task", task.id))
    launch_for_change(session, task.launch_id, None)
    return task


def set_status(
    session: Session,
    task_id: int,
    status: str,
    *,
    actor: User | None,
    now: datetime,
    expected_version: int | None = None,
) -> TaskChange:
    """Change a task's status; finishing before its dependencies is allowed but flagged."""
    if status not in TASK_STATUSES:
        raise InvalidInput({"status": f"'{status}' is not one of {', '.join(TASK_STATUSES)}"})
    task = task_for_change(session, task_id, expected_version)
    before = task.status
    warnings = _open_dependencies(session, task) if status == "done" else ()
    task.status = status
    task.completed_at = now if status == "done" else None
    change = save_task_change(
        session,
        task,
        "task.status_changed",
        {"status": before},
        {"status": status},
        actor,
        now,
        warnings,
    )
    if status == "done" and before != "done":
        _emit_completed(session, task, actor, now)
    return change


def _emit_completed(session: Session, task: Task, actor: User | None, now: datetime) -> None:
    launch = session.get_one(Launch, task.launch_id)
    payload = {
        "launch": launch_summary(launch),
        "task": {
            "id": task.id,
            "key": task.key,
            "title": task.title,
            "due_date": task.due_date.isoformat(),
            "completed_at": now.isoformat(),
        },
        "completed_by": actor.id if actor else None,
    }
    key = f"task.completed-{task.id}-{task.version}"
    emit(session, "task.completed", launch.id, payload, key, now)


def pin_due_date(
    session: Session,
    task_id: int,
    due_date: date,
    *,
    due_time: time | None = None,
    actor: User | None,
    now: datetime,
    expected_version: int | None = None,
) -> TaskChange:
    """Set a due date by hand; rescheduling leaves pinned tasks where they are."""
    task = task_for_change(session, task_id, expected_version)
    before = {"due_date": task.due_date, "pinned": task.pinned}
    task.due_date, task.due_time, task.pinned = due_date, due_time or task.due_time, True
    if task.start_date and task.start_date > due_date:
        task.start_date = due_date
    task.sequence += 1
    return save_task_change(
        session, task, "task.pinned", before, {"due_date": due_date, "pinned": True}, actor, now
    )


def unpin_due_date(
    session: Session, task_id: int, *, actor: User | None, now: datetime
) -> TaskChange:
    """Give the task back to its template offset."""
    task = task_for_change(session, task_id, None)
    launch = session.get_one(Launch, task.launch_id)
    calendar = launch_calendar(launch)
    before = {"due_date": task.due_date, "pinned": True}
    task.due_date = parse_offset(task.due_offset).resolve(
        launch.launch_date, calendar, Roll(task.roll) if task.roll else None
    )
    if task.start_offset:
        start = parse_offset(task.start_offset).resolve(launch.launch_date, calendar)
        task.start_date = min(start, task.due_date)
    elif task.duration:
        task.start_date = parse_duration(task.duration).start_before(task.due_date, calendar)
    task.pinned = False
    task.sequence += 1
    return save_task_change(
        session,
        task,
        "task.unpinned",
        before,
        {"due_date": task.due_date, "pinned": False},
        actor,
        now,
    )


def _open_dependencies(session: Session, task: Task) -> tuple[str, ...]:
    rows = session.execute(
        select(Task.key, Task.title)
        .join(TaskDependency, TaskDependency.depends_on_id == Task.id)
        .where(TaskDependency.task_id == task.id, Task.status.not_in(("done", "skipped")))
    )
    return tuple(f"done before its dependency '{title}' ({key})" for key, title in rows)


def save_task_change(
    session: Session,
    task: Task,
    action: str,
    before: dict[str, object],
    after: dict[str, object],
    actor: User | None,
    now: datetime,
    warnings: tuple[str, ...] = (),
) -> TaskChange:
    task.updated_at = now
    launch = session.get_one(Launch, task.launch_id)
    flush_or_stale(session, launch.id, launch.version)
    audit.record(
        session,
        action=action,
        entity="task",
        entity_id=task.id,
        actor=actor,
        now=now,
        launch=launch,
        before=before,
        after={**after, "warnings": list(warnings)} if warnings else after,
    )
    return TaskChange(task, warnings)
