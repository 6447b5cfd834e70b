"""Rendering the task detail page with its forms (fresh, or one failed and kept)."""

from __future__ import annotations

from typing import Any

from flask import render_template
from flask_wtf import FlaskForm
from sqlalchemy.orm import Session
from wtforms import SelectChoice

from launchpad.auth.permissions import may
from launchpad.extensions import get_session
from launchpad.services.activity import entries_from_changes, names_for
from launchpad.services.errors import StaleEdit
from launchpad.services.task_view import TaskView, assignable_people
from launchpad.web.forms import options
from launchpad.web.forms.task import AssigneeForm, DueDateForm, NotesForm, StatusForm, TitleForm
from launchpad.web.support import actor, today


def person_choices(session: Session) -> list[SelectChoice]:
    people = assignable_people(session)
    return options([("", "— nobody —"), *((str(p.id), f"{p.name} <{p.email}>") for p in people)])


def render_task(
    view: TaskView,
    forms: dict[str, FlaskForm] | None = None,
    stale: StaleEdit | None = None,
    status: int = 200,
) -> tuple[str, int]:
    task, session, user = view.task, get_session(), actor()
    kept = forms or {}
    fresh: dict[str, Any] = {
        "status": StatusForm(formdata=None, status=task.status, version=task.version),
        "assignee": AssigneeForm(
            formdata=None, person=str(task.assignee_id or ""), version=task.version
        ),
        "due": DueDateForm(formdata=None, due_date=task.due_date, version=task.version),
        "notes": NotesForm(formdata=None, notes=task.notes, version=task.version),
        "title": TitleForm(formdata=None, title=task.title, version=task.version),
    }
    all_forms = {**fresh, **kept}
    all_forms["assignee"].person.choices = person_choices(session)
    closed = view.launch.status in ("closed", "cancelled")
    changes = entries_from_changes(stale.changes) if stale else []
    page = render_template(
        "tasks/show.html",
        view=view,
        task=task,
        launch=view.launch,
        forms=all_forms,
        can_update=not closed and may("task.update", user, task),
        can_assign=not closed and may("task.assign", user, task),
        stale=changes if stale else None,
        names=names_for(session, [*view.history, *changes]),
        today=today(),
    )
    return page, status
