"""A person's open tasks across live launches: overdue, due this week, later."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from launchpad.models import Launch, Task, Team, User
from launchpad.services.launch_access import CLOSED_STATUSES

SETTLED = ("done", "skipped")


@dataclass(frozen=True, slots=True)
class MyTask:
    task: Task
    launch_name: str
    team_name: str


@dataclass(slots=True)
class MyTasks:
    overdue: list[MyTask] = field(default_factory=list)
    this_week: list[MyTask] = field(default_factory=list)
    later: list[MyTask] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.overdue) + len(self.this_week) + len(self.later)


def my_tasks(session: Session, person: User, today: date) -> MyTasks:
    """One query; the week ends on Sunday."""
    rows = session.execute(
        select(Task, Launch.name, Team.name)
        .join(Launch, Launch.id == Task.launch_id)
        .join(Team, Team.id == Task.team_id)
        .where(
            Task.assignee_id == person.id,
            Task.status.not_in(SETTLED),
            Launch.status.not_in(CLOSED_STATUSES),
        )
        .order_by(Task.due_date, Task.due_time, Launch.name, Task.position)
    )
    end_of_week = today + timedelta(days=6 - today.weekday())
    grouped = MyTasks()
    for task, launch_name, team_name in rows:
        item = MyTask(task, launch_name, team_name)
        if task.due_date < today:
            grouped.overdue.append(item)
        elif task.due_date <= end_of_week:
            grouped.this_week.append(item)
        else:
            grouped.later.append(item)
    return grouped
