"""One task with its launch, team, people, dependencies both ways and its history."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import InstrumentedAttribute, Session

from launchpad.models import Launch, Task, TaskDependency, Team, User
from launchpad.services.activity import Entry, entity_history
from launchpad.services.errors import NotFound


@dataclass(frozen=True, slots=True)
class TaskView:
    task: Task
    launch: Launch
    team: Team
    assignee: User | None
    waits_for: list[Task]
    needed_by: list[Task]
    history: list[Entry]


def task_view(session: Session, launch_id: int, task_id: int) -> TaskView:
    """NotFound unless the task exists *in that launch* (ids in URLs are not trusted)."""
    row = session.execute(
        select(Task, Launch, Team)
        .join(Launch, Launch.id == Task.launch_id)
        .join(Team, Team.id == Task.team_id)
        .where(Task.id == task_id, Task.launch_id == launch_id)
    ).first()
    if row is None:
        raise NotFound("task", task_id)
    task, launch, team = row
    assignee = session.get(User, task.assignee_id) if task.assignee_id else None
    return TaskView(
        task,
        launch,
        team,
        assignee,
        _linked(session, TaskDependency.task_id, TaskDependency.depends_on_id, task.id),
        _linked(session, TaskDependency.depends_on_id, TaskDependency.task_id, task.id),
        entity_history(session, "task", task.id),
    )


def _linked(
    session: Session,
    side: InstrumentedAttribute[int],
    other: InstrumentedAttribute[int],
    task_id: int,
) -> list[Task]:
    return list(
        session.scalars(
            select(Task)
            .join(TaskDependency, other == Task.id)
            .where(side == task_id)
            .order_by(Task.due_date, Task.position)
        )
    )


def assignable_people(session: Session) -> list[User]:
    """Active people, by name: who a task can be given to."""
    return list(session.scalars(select(User).where(User.active).order_by(User.name, User.email)))
