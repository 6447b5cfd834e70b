"""Moving launch day: preview every move and broken dependency, then apply in bulk."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Table, bindparam, select, update
from sqlalchemy.orm import Session

from launchpad.models import Launch, Task, User
from launchpad.planning.reschedule import ReschedulePlan, ScheduledTask, plan_reschedule
from launchpad.planning.workdays import parse_workdays, work_calendar
from launchpad.services import audit
from launchpad.services.launch_access import dependency_keys, flush_launch, launch_for_change
from launchpad.services.launch_events import emit, launch_summary
from launchpad.services.template_library import spec_of


def reschedule_launch(
    session: Session,
    launch_id: int,
    new_date: date,
    *,
    expected_version: int | None,
    actor: User | None,
    now: datetime,
    apply: bool,
) -> ReschedulePlan:
    """The moves for `new_date`; with `apply`, write them and bump SEQUENCE of each task."""
    launch = launch_for_change(session, launch_id, expected_version)
    tasks, ids = scheduled_tasks(session, launch.id)
    spec = spec_of(launch.template_version)
    calendar = work_calendar(launch.holidays, new_date, parse_workdays(spec.calendar.workdays))
    plan = plan_reschedule(tasks, launch.launch_date, new_date, calendar)
    if apply:
        _apply(session, launch, plan, ids, actor, now)
    return plan


def scheduled_tasks(session: Session, launch_id: int) -> tuple[list[ScheduledTask], dict[str, int]]:
    """The launch's tasks as the pure planner sees them, plus key -> id."""
    rows = session.execute(
        select(
            Task.id,
            Task.key,
            Task.title,
            Task.status,
            Task.pinned,
            Task.due_offset,
            Task.due_date,
            Task.due_time,
            Task.start_date,
            Task.start_offset,
            Task.duration,
            Task.roll,
        )
        .where(Task.launch_id == launch_id)
        .order_by(Task.position)
    ).all()
    depends = dependency_keys(session, {row.id: row.key for row in rows})
    tasks = [
        ScheduledTask(
            key=row.key,
            title=row.title,
            status=row.status,
            pinned=row.pinned,
            due_offset=row.due_offset,
            due_date=row.due_date,
            due_time=row.due_time,
            start_date=row.start_date,
            depends_on=depends.get(row.key, ()),
            start_offset=row.start_offset,
            duration=row.duration,
            roll=row.roll,
        )
        for row in rows
    ]
    return tasks, {row.key: row.id for row in rows}


def _apply(
    session: Session,
    launch: Launch,
    plan: ReschedulePlan,
    ids: dict[str, int],
    actor: User | None,
    now: datetime,
) -> None:
    table = Task.__table__
    assert isinstance(table, Table)
    if plan.moves:
        statement = (
            update(table)
            .where(table.c.id == bindparam("task_id"))
            .values(
                due_date=bindparam("new_due"),
                start_date=bindparam("new_start"),
                sequence=table.c.sequence + 1,
                version=table.c.version + 1,
                updated_at=now,
            )
        )
        session.connection().execute(
            statement,
            [
                {"task_id": ids[m.key], "new_due": m.new_due, "new_start": m.new_start}
                for m in plan.moves
            ],
        )
    before = launch.launch_date
    launch.launch_date = plan.new_launch_day
    launch.updated_at = now
    flush_launch(session, launch)
    audit.record(
        session,
        action="launch.rescheduled",
        entity="launch",
        entity_id=launch.id,
        actor=actor,
        now=now,
        launch=launch,
        before={"launch_date": before},
        after={"launch_date": launch.launch_date, "moved": len(plan.moves)},
    )
    payload = {
        "launch": launch_summary(launch),
        "previous_launch_date": before.isoformat(),
        "moved_tasks": len(plan.moves),
    }
    key = f"launch.rescheduled-{launch.id}-{launch.version}"
    emit(session, "launch.rescheduled", launch.id, payload, key, now)
    audit.record_many(
        session,
        [
            {
                "launch_id": launch.id,
                "launch_version": launch.version,
                "actor_id": actor.id if actor else None,
                "action": "task.rescheduled",
                "entity": "task",
                "entity_id": ids[m.key],
                "before": {"due_date": m.old_due.isoformat()},
                "after": {"due_date": m.new_due.isoformat()},
                "at": now,
            }
            for m in plan.moves
        ],
    )
    session.expire_all()
