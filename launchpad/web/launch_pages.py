"""Reading a launch: overview with timeline, board by team, activity feed."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template
from sqlalchemy.orm import Session

from launchpad.services.activity import launch_activity, names_for
from launchpad.services.launch_page import LaunchPage, launch_page
from launchpad.services.launch_status import TRANSITIONS
from launchpad.web.forms import options
from launchpad.web.forms.launch import LaunchStatusForm
from launchpad.web.support import allowed, today

bp = Blueprint("launch_pages", __name__, url_prefix="/launches/<int:launch_id>")


@bp.get("")
def show(launch_id: int) -> str:
    _user, session = allowed("launch.view")
    return render_show(session, launch_id)


def render_show(session: Session, launch_id: int, **context: Any) -> str:
    """The launch page; actions re-render it with their form's errors or a stale edit."""
    page = launch_page(session, launch_id, today())
    recent = launch_activity(session, launch_id, limit=8)
    context.setdefault("names", names_for(session, [*recent, *context.get("stale", [])]))
    return _render("launches/show.html", page, recent=recent, **context)


@bp.get("/board")
def board(launch_id: int) -> str:
    _user, session = allowed("launch.view")
    return _render("launches/board.html", launch_page(session, launch_id, today()))


@bp.get("/activity")
def activity(launch_id: int) -> str:
    _user, session = allowed("launch.view")
    page = launch_page(session, launch_id, today())
    entries = launch_activity(session, launch_id, limit=200)
    return _render(
        "launches/activity.html", page, entries=entries, names=names_for(session, entries)
    )


def _render(template: str, page: LaunchPage, **context: Any) -> str:
    launch = page.overview.launch
    status_form = context.pop("status_form", None) or LaunchStatusForm(
        formdata=None, version=launch.version
    )
    status_form.status.choices = options((s, s) for s in TRANSITIONS.get(launch.status, ()))
    titles = {p.key: p.title for p in page.overview.progress}
    return render_template(
        template,
        page=page,
        launch=launch,
        titles=titles,
        status_form=status_form,
        today=today(),
        **context,
    )
