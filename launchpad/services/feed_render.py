"""Rendering many tasks' events in a constant number of queries, for the cache.

Everything an event shows is loaded in two queries whatever the count (the task with
its launch, team and assignee; then the titles of its dependencies).
"""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import Row, select
from sqlalchemy.orm import Session

from launchpad.ical import Entry, render_entry
from launchpad.models import Launch, Task, TaskDependency, Team, User
from launchpad.services.feed_entries import Rendering, task_entry

TaskRow = Row[Task, str, str, int, str, str | None]


def task_rows(session: Session, task_ids: Collection[int]) -> list[TaskRow]:
    """Everything a task's event shows, for many tasks in one query."""
    query = (
        select(Task, Launch.name, Launch.timezone, Launch.version, Team.name, User.name)
        .join(Launch, Launch.id == Task.launch_id)
        .join(Team, Team.id == Task.team_id)
        .outerjoin(User, User.id == Task.assignee_id)
        .where(Task.id.in_(task_ids))
    )
    return list(session.execute(query).all())


def dependency_titles(session: Session, task_ids: Collection[int]) -> dict[int, list[str]]:
    """task id -> titles of the tasks it waits for, in one query."""
    query = (
        select(TaskDependency.task_id, Task.title)
        .join(Task, Task.id == TaskDependency.depends_on_id)
        .where(TaskDependency.task_id.in_(task_ids))
        .order_by(TaskDependency.task_id, Task.position, Task.id)
    )
    titles: dict[int, list[str]] = {}
    for task_id, title in session.execute(query):
        titles.setdefault(task_id, []).append(title)
    return titles


def task_entries(
    session: Session, task_ids: Collection[int], how: Rendering
) -> dict[int, tuple[Entry, int, int]]:
    """task id -> (entry, task version, launch version), in two queries whatever the count."""
    if not task_ids:
        return {}
    depends = dependency_titles(session, task_ids)
    entries = {}
    for task, launch_name, zone, launch_version, team, assignee in task_rows(session, task_ids):
        entry = task_entry(task, launch_name, zone, team, assignee, depends.get(task.id, []), how)
        entries[task.id] = (entry, task.version, launch_version)
    return entries


def render_tasks(
    session: Session, task_ids: Collection[int], how: Rendering
) -> dict[int, tuple[bytes, int, int]]:
    """task id -> (event bytes, task version, launch version) for the cache."""
    return {
        task_id: (render_entry(entry), task_version, launch_version)
        for task_id, (entry, task_version, launch_version) in task_entries(
            session, task_ids, how
        ).items()
    }
