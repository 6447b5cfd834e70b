"""Changing who does a task and its notes (status and dates live in task_changes)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from launchpad.models import Task, User
from launchpad.services.errors import InvalidInput
from launchpad.services.task_changes import save_task_change, task_for_change

MAX_NOTES = 20_000


def set_assignee(
    session: Session,
    task_id: int,
    assignee: User | None,
    *,
    actor: User | None,
    now: datetime,
    expected_version: int | None = None,
) -> Task:
    """Give the task to someone else (None: nobody); deactivated people are refused."""
    task = task_for_change(session, task_id, expected_version)
    if assignee is not None and not assignee.active:
        raise InvalidInput({"assignee": f"{assignee.email} is deactivated"})
    before = task.assignee_id
    task.assignee_id = assignee.id if assignee else None
    save_task_change(
        session,
        task,
        "task.reassigned",
        {"assignee_id": before},
        {"assignee_id": task.assignee_id},
        actor,
        now,
    )
    return task


def set_notes(
    session: Session,
    task_id: int,
    notes: str,
    *,
    actor: User | None,
    now: datetime,
    expected_version: int | None = None,
) -> Task:
    if len(notes) > MAX_NOTES:
        raise InvalidInput({"notes": f"keep notes under {MAX_NOTES} characters"})
    task = task_for_change(session, task_id, expected_version)
    before = task.notes
    task.notes = notes
    save_task_change(
        session, task, "task.notes_changed", {"notes": before}, {"notes": notes}, actor, now
    )
    return task
