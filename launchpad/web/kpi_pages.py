"""A launch's KPI panel: each target's state, last value, target line and chart; values
typed in by hand; muting and the alert policy for planners."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_wtf import FlaskForm
from sqlalchemy.orm import Session
from werkzeug.wrappers import Response
from wtforms import DateTimeLocalField, FloatField, IntegerField, SelectField, SubmitField
from wtforms.validators import InputRequired, NumberRange, Optional

from launchpad.models import KpiTarget, Launch
from launchpad.services.errors import InvalidInput, NotFound
from launchpad.services.kpi_alerts import AlertPolicy, mute_target, set_alert_policy
from launchpad.services.kpi_panel import get_target, kpi_panel
from launchpad.services.measurements import (
    IdempotencyConflict,
    NewMeasurement,
    record_measurement,
)
from launchpad.web.forms import options
from launchpad.web.kpi_chart import chart
from launchpad.web.support import allowed, now, show_problems

bp = Blueprint("kpi_pages", __name__, url_prefix="/launches/<int:launch_id>/kpis")
PAGE = "kpis/panel.html"


class ValueForm(FlaskForm):
    metric = SelectField("Metric", validate_choice=False)
    value = FloatField("Value", [InputRequired(message="Give a number.")])
    observed_at = DateTimeLocalField(
        "Observed at (UTC, optional)", [Optional()], format="%Y-%m-%dT%H:%M"
    )


class MuteForm(FlaskForm):
    until = DateTimeLocalField("Mute until (UTC)", [Optional()], format="%Y-%m-%dT%H:%M")
    mute = SubmitField("Mute")
    unmute = SubmitField("Unmute")


class PolicyForm(FlaskForm):
    pending_evals = IntegerField(
        "Misses before it fires", [InputRequired(), NumberRange(1, 100)], default=1
    )
    keep_firing_evals = IntegerField(
        "Passes before it recovers", [InputRequired(), NumberRange(1, 100)], default=1
    )
    repeat_minutes = IntegerField(
        "Remind every (minutes, empty: never)", [Optional(), NumberRange(0, 90 * 1440)]
    )


def _launch(session: Session, launch_id: int) -> Launch:
    launch = session.get(Launch, launch_id)
    if launch is None:
        raise NotFound("launch", launch_id)
    return launch


def _target(session: Session, launch_id: int, target_id: int) -> KpiTarget:
    target = get_target(session, target_id)
    if target.launch_id != launch_id:
        raise NotFound("KPI target", target_id)
    return target


def _policy_form(target: KpiTarget, formdata: bool = False) -> PolicyForm:
    prefix = f"t{target.id}-"
    if formdata:
        return PolicyForm(prefix=prefix)
    repeat = target.repeat_interval_seconds
    return PolicyForm(
        formdata=None,
        prefix=prefix,
        pending_evals=target.pending_evals,
        keep_firing_evals=target.keep_firing_evals,
        repeat_minutes=None if repeat is None else repeat // 60,
    )


def _mute_form(target: KpiTarget, formdata: bool = False) -> MuteForm:
    prefix = f"m{target.id}-"
    return MuteForm(prefix=prefix) if formdata else MuteForm(formdata=None, prefix=prefix)


def _page(
    session: Session,
    launch: Launch,
    *,
    value_form: ValueForm | None = None,
    forms: dict[str, FlaskForm] | None = None,
    status: int = 200,
) -> tuple[str, int]:
    panels = kpi_panel(session, launch.id, now())
    entries = []
    for panel in panels:
        target = panel.target
        entries.append(
            {
                "panel": panel,
                "chart": chart(panel.series, target.threshold),
                "mute_form": (forms or {}).get(f"m{target.id}") or _mute_form(target),
                "policy_form": (forms or {}).get(f"t{target.id}") or _policy_form(target),
            }
        )
    form = value_form or ValueForm(formdata=None)
    form.metric.choices = options((m, m) for m in sorted({p.target.metric for p in panels}))
    html = render_template(PAGE, launch=launch, entries=entries, value_form=form)
    return html, status


@bp.get("")
def panel(launch_id: int) -> tuple[str, int]:
    _user, session = allowed("launch.view")
    return _page(session, _launch(session, launch_id))


@bp.post("/values")
def record(launch_id: int) -> tuple[str, int] | Response:
    user, session = allowed("measurement.push")
    launch = _launch(session, launch_id)
    form = ValueForm()
    form.metric.choices = []
    if not form.validate_on_submit():
        return _page(session, launch, value_form=form, status=400)
    observed = form.observed_at.data.replace(tzinfo=UTC) if form.observed_at.data else None
    item = NewMeasurement(form.metric.data or "", float(form.value.data or 0.0), observed)
    try:
        record_measurement(session, launch.id, item, source="manual", now=now(), actor=user)
    except InvalidInput as error:
        session.rollback()
        show_problems(form, error)
        return _page(session, launch, value_form=form, status=400)
    except IdempotencyConflict as error:
        session.rollback()
        form.form_errors.append(str(error))
        return _page(session, launch, value_form=form, status=400)
    session.commit()
    flash(f"Recorded {item.value:g} for {item.metric}.", "success")
    return redirect(url_for("web.kpi_pages.panel", launch_id=launch.id))


@bp.post("/<int:target_id>/mute")
def mute(launch_id: int, target_id: int) -> tuple[str, int] | Response:
    _user, session = allowed("kpi.manage")
    launch = _launch(session, launch_id)
    target = _target(session, launch_id, target_id)
    form = _mute_form(target, formdata=True)
    if not form.validate_on_submit():
        return _page(session, launch, forms={f"m{target.id}": form}, status=400)
    until: datetime | None = None
    if not form.unmute.data:
        if form.until.data is None:
            form.until.errors = [*form.until.errors, "Give a date and time."]
            return _page(session, launch, forms={f"m{target.id}": form}, status=400)
        until = form.until.data.replace(tzinfo=UTC)
    try:
        mute_target(session, target.id, until, now())
    except InvalidInput as error:
        session.rollback()
        show_problems(form, error)
        return _page(session, launch, forms={f"m{target.id}": form}, status=400)
    session.commit()
    flash(f"{target.name} is {'muted' if until else 'unmuted'}.", "success")
    return redirect(url_for("web.kpi_pages.panel", launch_id=launch.id))


@bp.post("/<int:target_id>/policy")
def policy(launch_id: int, target_id: int) -> tuple[str, int] | Response:
    _user, session = allowed("kpi.manage")
    launch = _launch(session, launch_id)
    target = _target(session, launch_id, target_id)
    form = _policy_form(target, formdata=True)
    if not form.validate_on_submit():
        return _page(session, launch, forms={f"t{target.id}": form}, status=400)
    minutes = form.repeat_minutes.data
    new = AlertPolicy(
        pending_evals=form.pending_evals.data or 1,
        keep_firing_evals=form.keep_firing_evals.data or 1,
        repeat_interval_seconds=None if minutes is None else minutes * 60,
        grace_seconds=target.grace_seconds,
        max_age_seconds=target.max_age_seconds,
    )
    try:
        set_alert_policy(session, target.id, new)
    except InvalidInput as error:
        session.rollback()
        show_problems(form, error, {"repeat_interval_seconds": "repeat_minutes"})
        return _page(session, launch, forms={f"t{target.id}": form}, status=400)
    session.commit()
    flash(f"The alert policy of {target.name} is saved.", "success")
    return redirect(url_for("web.kpi_pages.panel", launch_id=launch.id))
