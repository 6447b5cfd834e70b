"""Re-mapping a launch's roles to people; open tasks of the role follow the person."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from sqlalchemy.orm import Session
from werkzeug.wrappers import Response
from wtforms import SelectChoice

from launchpad.models import Launch, User
from launchpad.services.activity import Entry, entries_from_changes, names_for
from launchpad.services.errors import InvalidInput, StaleEdit
from launchpad.services.launch_access import get_launch
from launchpad.services.launch_page import launch_roles
from launchpad.services.roles import remap_role
from launchpad.services.task_view import assignable_people
from launchpad.web.forms import options
from launchpad.web.forms.launch import RoleForm
from launchpad.web.support import allowed, now, show_problems

bp = Blueprint("launch_roles", __name__, url_prefix="/launches/<int:launch_id>")
LEAD = ("", "— the team lead —")


@bp.get("/roles")
def roles(launch_id: int) -> str:
    _user, session = allowed("launch.edit")
    return _render(session, get_launch(session, launch_id))[0]


@bp.post("/roles")
def remap(launch_id: int) -> Response | tuple[str, int]:
    user, session = allowed("launch.edit")
    launch = get_launch(session, launch_id)
    form = RoleForm()
    form.person.choices = _choices(assignable_people(session))
    if not form.validate_on_submit():
        return _render(session, launch, form, status=400)
    person = session.get(User, int(form.person.data)) if form.person.data else None
    try:
        moved = remap_role(
            session,
            launch.id,
            form.role.data,
            person,
            expected_version=form.version.data,
            actor=user,
            now=now(),
        )
    except StaleEdit as stale:
        form.version.data = stale.current_version
        return _render(session, launch, form, entries_from_changes(stale.changes), 409)
    except InvalidInput as error:
        show_problems(form, error, {"user": "person"})
        return _render(session, launch, form, status=400)
    session.commit()
    who = person.name if person else "the team lead"
    flash(f"Role {form.role.data} now goes to {who}; {moved} open task(s) reassigned.", "success")
    return redirect(url_for("web.launch_roles.roles", launch_id=launch.id))


def _choices(people: list[User]) -> list[SelectChoice]:
    return options([LEAD, *((str(p.id), f"{p.name} <{p.email}>") for p in people)])


def _render(
    session: Session,
    launch: Launch,
    failed: RoleForm | None = None,
    stale: list[Entry] | None = None,
    status: int = 200,
) -> tuple[str, int]:
    """One small form per role; a failed one is shown again with its input and message."""
    choices = _choices(assignable_people(session))
    forms = []
    for mapping in launch_roles(session, launch.id):
        if failed is not None and failed.role.data == mapping.role:
            form = failed
        else:
            form = RoleForm(
                formdata=None,
                role=mapping.role,
                version=launch.version,
                person=str(mapping.user_id or ""),
            )
        form.person.choices = choices
        forms.append((mapping, form))
    shown = failed is None or any(form is failed for _mapping, form in forms)
    page = render_template(
        "launches/roles.html",
        launch=launch,
        forms=forms,
        stale=stale,
        names=names_for(session, stale or []),
        unshown=None if shown else failed,
    )
    return page, status
