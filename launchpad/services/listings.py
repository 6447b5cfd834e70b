"""Filtered lists of launches and tasks, with what a page of them needs in a few queries."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, selectinload

from launchpad.models import Launch, Task, TaskDependency, Team, User


@dataclass(frozen=True, slots=True)
class LaunchFilter:
    status: str | None = None
    team: str | None = None
    date_from: date | None = None
    date_to: date | None = None


@dataclass(frozen=True, slots=True)
class TaskFilter:
    launch_id: int | None = None
    team: str | None = None
    assignee_email: str | None = None
    status: str | None = None
    phase: str | None = None
    due_from: date | None = None
    due_to: date | None = None


def launches_statement(wanted: LaunchFilter) -> Select[Any]:
    statement = (
        select(Launch)
        .options(selectinload(Launch.template_version))
        .order_by(Launch.launch_date, Launch.id)
    )
    if wanted.status:
        statement = statement.where(Launch.status == wanted.status)
    if wanted.date_from:
        statement = statement.where(Launch.launch_date >= wanted.date_from)
    if wanted.date_to:
        statement = statement.where(Launch.launch_date <= wanted.date_to)
    if wanted.team:
        with_team = select(Task.launch_id).join(Team, Team.id == Task.team_id)
        statement = statement.where(Launch.id.in_(with_team.where(Team.key == wanted.team)))
    return statement


def tasks_statement(wanted: TaskFilter) -> Select[Any]:
    statement = select(Task).order_by(Task.due_date, Task.launch_id, Task.position, Task.id)
    conditions: list[Any] = []
    if wanted.launch_id:
        conditions.append(Task.launch_id == wanted.launch_id)
    if wanted.team:
        conditions.append(Task.team_id.in_(select(Team.id).where(Team.key == wanted.team)))
    if wanted.assignee_email:
        people = select(User.id).where(User.email == wanted.assignee_email.strip().lower())
        conditions.append(Task.assignee_id.in_(people))
    if wanted.status:
        conditions.append(Task.status == wanted.status)
    if wanted.phase:
        conditions.append(Task.phase == wanted.phase)
    if wanted.due_from:
        conditions.append(Task.due_date >= wanted.due_from)
    if wanted.due_to:
        conditions.append(Task.due_date <= wanted.due_to)
    return statement.where(*conditions)


@dataclass(frozen=True, slots=True)
class TaskContext:
    """Names and links for a page of tasks, loaded in three queries whatever its size."""

    team_keys: dict[int, str]
    emails: dict[int, str]
    depends_on: dict[int, list[int]]


def task_context(session: Session, tasks: Sequence[Task]) -> TaskContext:
    ids = [task.id for task in tasks]
    team_ids = {task.team_id for task in tasks}
    people = {task.assignee_id for task in tasks if task.assignee_id}
    teams = {
        i: k for i, k in session.execute(select(Team.id, Team.key).where(Team.id.in_(team_ids)))
    }
    emails = {
        i: e for i, e in session.execute(select(User.id, User.email).where(User.id.in_(people)))
    }
    depends: dict[int, list[int]] = {task_id: [] for task_id in ids}
    edges = session.execute(
        select(TaskDependency.task_id, TaskDependency.depends_on_id)
        .where(TaskDependency.task_id.in_(ids))
        .order_by(TaskDependency.task_id, TaskDependency.depends_on_id)
    )
    for task_id, depends_on_id in edges:
        depends[task_id].append(depends_on_id)
    return TaskContext(teams, emails, depends)
