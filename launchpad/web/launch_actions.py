"""Changing a launch: reschedule with preview, re-map roles, move status, sign off."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from launchpad.extensions import get_session
from launchpad.services.activity import entries_from_changes, names_for
from launchpad.services.directory import team_by_key
from launchpad.services.errors import InvalidInput, NotFound, StaleEdit
from launchpad.services.launch_access import get_launch
from launchpad.services.launch_status import TRANSITIONS, set_launch_status, sign_off
from launchpad.services.rescheduling import reschedule_launch
from launchpad.web.forms import options
from launchpad.web.forms.launch import LaunchStatusForm, RescheduleForm, SignoffForm
from launchpad.web.launch_pages import render_show
from launchpad.web.support import allowed, form_status, now, show_problems

bp = Blueprint("launch_actions", __name__, url_prefix="/launches/<int:launch_id>")
Page = str | Response | tuple[str, int]


@bp.route("/reschedule", methods=["GET", "POST"])
def reschedule(launch_id: int) -> Page:
    user, session = allowed("launch.edit")
    launch = get_launch(session, launch_id)
    form = RescheduleForm(version=launch.version)
    if not form.validate_on_submit():
        page = render_template("launches/reschedule.html", launch=launch, form=form)
        return page, form_status(form)
    apply = request.form.get("action") == "apply"
    try:
        plan = reschedule_launch(
            session,
            launch.id,
            form.new_date.data,
            expected_version=form.version.data,
            actor=user,
            now=now(),
            apply=apply,
        )
    except StaleEdit as stale:
        return _stale("launches/reschedule.html", form, stale, launch=launch)
    except InvalidInput as error:
        show_problems(form, error, {"status": "new_date"})
        return render_template("launches/reschedule.html", launch=launch, form=form), 400
    if not apply:
        return render_template("launches/reschedule.html", launch=launch, form=form, plan=plan)
    session.commit()
    flash(f"Launch day moved to {plan.new_launch_day}; {len(plan.moves)} task(s) moved.", "success")
    return redirect(url_for("web.launch_pages.show", launch_id=launch.id))


@bp.post("/status")
def status(launch_id: int) -> Page:
    user, session = allowed("launch.edit")
    launch = get_launch(session, launch_id)
    form = LaunchStatusForm()
    form.status.choices = options((s, s) for s in TRANSITIONS.get(launch.status, ()))
    if not form.validate_on_submit():
        return render_show(session, launch.id, status_form=form), 400
    try:
        set_launch_status(
            session,
            launch.id,
            form.status.data,
            expected_version=form.version.data,
            actor=user,
            now=now(),
        )
    except StaleEdit as stale:
        form.version.data = stale.current_version
        stale_entries = entries_from_changes(stale.changes)
        return render_show(session, launch.id, status_form=form, stale=stale_entries), 409
    except InvalidInput as error:
        show_problems(form, error)
        return render_show(session, launch.id, status_form=form), 400
    session.commit()
    flash(f"The launch is now {form.status.data}.", "success")
    return redirect(url_for("web.launch_pages.show", launch_id=launch.id))


@bp.post("/signoff")
def signoff(launch_id: int) -> Response:
    form = SignoffForm()
    session = get_session()
    team = team_by_key(session, form.team.data or "") if form.validate_on_submit() else None
    if team is None:
        raise NotFound("team", form.team.data)
    user, session = allowed("launch.signoff", team)
    try:
        sign_off(session, launch_id, team.key, actor=user, now=now())
    except InvalidInput as error:
        flash(str(error), "error")
    else:
        session.commit()
        flash(f"{team.name} signed off.", "success")
    return redirect(url_for("web.launch_pages.show", launch_id=launch_id))


def _stale(
    template: str, form: RescheduleForm, stale: StaleEdit, **context: object
) -> tuple[str, int]:
    """Show what changed; the form now carries the current version to submit again."""
    form.version.data = stale.current_version
    entries = entries_from_changes(stale.changes)
    names = names_for(get_session(), entries)
    return render_template(template, form=form, stale=entries, names=names, **context), 409
