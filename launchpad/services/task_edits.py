"""Retitling a task: a change calendar apps must notice, so it bumps SEQUENCE.

Dependent tasks show this title in their description; they are bumped too, so their
cached calendar events are rendered again.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from launchpad.ical import clean
from launchpad.models import Task, TaskDependency, User
from launchpad.services.errors import InvalidInput
from launchpad.services.task_changes import TaskChange, save_task_change, task_for_change

MAX_TITLE = 300


def retitle_task(
    session: Session,
    task_id: int,
    title: str,
    *,
    actor: User | None,
    now: datetime,
    expected_version: int | None = None,
) -> TaskChange:
    """Give a task a new title (control characters dropped, one line)."""
    title = clean(title, one_line=True)
    if not title or len(title) > MAX_TITLE:
        raise InvalidInput({"title": f"give a title of 1 to {MAX_TITLE} characters"})
    task = task_for_change(session, task_id, expected_version)
    before = task.title
    if title == before:
        return TaskChange(task)
    task.title = title
    task.sequence += 1
    change = save_task_change(
        session, task, "task.retitled", {"title": before}, {"title": title}, actor, now
    )
    touch_dependents(session, task.id, now)
    return change


def touch_dependents(session: Session, task_id: int, now: datetime) -> None:
    """Bump the tasks waiting for `task_id`: their calendar events name it.

    Call after flushing a change to a task's title. Expires the session, because
    dependents loaded in it now carry an old version.
    """
    waiting = select(TaskDependency.task_id).where(TaskDependency.depends_on_id == task_id)
    session.execute(
        update(Task)
        .where(Task.id.in_(waiting))
        .values(version=Task.version + 1, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    session.expire_all()
