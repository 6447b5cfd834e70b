"""Task detail and its changes: status, assignee, due date, notes, title.

Every form carries the task's version; if the task changed meanwhile the page shows what
changed instead of overwriting it. The quick status form also answers JSON to app.js.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, flash, jsonify, redirect, request, url_for
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from launchpad.extensions import get_session
from launchpad.models import Task, User
from launchpad.services.errors import InvalidInput, StaleEdit
from launchpad.services.task_changes import pin_due_date, set_status, unpin_due_date
from launchpad.services.task_details import set_assignee, set_notes
from launchpad.services.task_edits import retitle_task
from launchpad.services.task_view import task_view
from launchpad.web.forms.task import AssigneeForm, DueDateForm, NotesForm, StatusForm, TitleForm
from launchpad.web.support import allowed, local_path, now, show_problems
from launchpad.web.task_page import person_choices, render_task

bp = Blueprint("tasks", __name__, url_prefix="/launches/<int:launch_id>/tasks/<int:task_id>")
Page = str | Response | tuple[str, int] | tuple[Response, int]
Change = Callable[[User, Task, Any], object]


@bp.get("")
def show(launch_id: int, task_id: int) -> tuple[str, int]:
    allowed("launch.view")
    return render_task(task_view(get_session(), launch_id, task_id))


@bp.post("/status")
def status(launch_id: int, task_id: int) -> Page:
    def change(user: User, task: Task, form: Any) -> object:
        return set_status(
            get_session(),
            task.id,
            form.status.data,
            actor=user,
            now=now(),
            expected_version=form.version.data,
        )

    return _change(launch_id, task_id, "task.update", StatusForm(), change, "status")


@bp.post("/assignee")
def assignee(launch_id: int, task_id: int) -> Page:
    def change(user: User, task: Task, form: Any) -> object:
        person = get_session().get(User, int(form.person.data)) if form.person.data else None
        return set_assignee(
            get_session(),
            task.id,
            person,
            actor=user,
            now=now(),
            expected_version=form.version.data,
        )

    return _change(launch_id, task_id, "task.assign", AssigneeForm(), change, "assignee")


@bp.post("/due")
def due(launch_id: int, task_id: int) -> Page:
    def change(user: User, task: Task, form: Any) -> object:
        if request.form.get("action") == "unpin":
            return unpin_due_date(get_session(), task.id, actor=user, now=now())
        return pin_due_date(
            get_session(),
            task.id,
            form.due_date.data,
            actor=user,
            now=now(),
            expected_version=form.version.data,
        )

    form = DueDateForm()
    if request.form.get("action") == "unpin":
        form.due_date.validators = []
    return _change(launch_id, task_id, "task.assign", form, change, "due")


@bp.post("/notes")
def notes(launch_id: int, task_id: int) -> Page:
    def change(user: User, task: Task, form: Any) -> object:
        return set_notes(
            get_session(),
            task.id,
            form.notes.data or "",
            actor=user,
            now=now(),
            expected_version=form.version.data,
        )

    return _change(launch_id, task_id, "task.update", NotesForm(), change, "notes")


@bp.post("/title")
def title(launch_id: int, task_id: int) -> Page:
    def change(user: User, task: Task, form: Any) -> object:
        return retitle_task(
            get_session(),
            task.id,
            form.title.data,
            actor=user,
            now=now(),
            expected_version=form.version.data,
        )

    return _change(launch_id, task_id, "task.assign", TitleForm(), change, "title")


def _change(
    launch_id: int, task_id: int, action: str, form: FlaskForm, change: Change, name: str
) -> Page:
    """Check, apply, commit; or re-render the task page with this form's problems."""
    session = get_session()
    view = task_view(session, launch_id, task_id)
    user, session = allowed(action, view.task)
    if isinstance(form, AssigneeForm):
        form.person.choices = person_choices(session)
    stale: StaleEdit | None = None
    if form.validate_on_submit():
        try:
            result = change(user, view.task, form)
        except StaleEdit as error:
            stale = error
            session.rollback()
        except InvalidInput as error:
            session.rollback()
            show_problems(form, error, {"status": "status", "assignee": "person", "": ""})
        else:
            session.commit()
            return _done(view.task, name, getattr(result, "warnings", ()))
    return _failed(launch_id, task_id, form, name, stale)


def _done(task: Task, name: str, warnings: tuple[str, ...]) -> Page:
    if _wants_json():
        return jsonify(ok=True, status=task.status, version=task.version, warnings=warnings)
    flash(f"Saved the {name} of “{task.title}”.", "success")
    for warning in warnings:
        flash(f"Note: {warning}.", "warning")
    target = local_path(request.form.get("next", "")) if name == "status" else None
    return redirect(target or url_for("web.tasks.show", launch_id=task.launch_id, task_id=task.id))


def _failed(
    launch_id: int, task_id: int, form: FlaskForm, name: str, stale: StaleEdit | None
) -> Page:
    view = task_view(get_session(), launch_id, task_id)
    if stale is not None:
        form.version.data = stale.current_version
    if _wants_json():
        message = str(stale) if stale else "; ".join(_messages(form))
        return jsonify(ok=False, message=message, version=view.task.version), 409 if stale else 400
    return render_task(view, forms={name: form}, stale=stale, status=409 if stale else 400)


def _messages(form: FlaskForm) -> list[str]:
    return [m for errors in form.errors.values() for m in errors] or ["check the form"]


def _wants_json() -> bool:
    return request.accept_mimetypes.best == "application/json"
