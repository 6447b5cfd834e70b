"""A launch's KPI panel: each target's state, last value, target line and chart; values
typed in by hand or uploaded as CSV; muting and the alert policy for planners.

Times people type in are in their own time zone (`User.timezone`) and stored in UTC; the
panel shows stored times back in that zone.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, tzinfo
from typing import Any
from zoneinfo import ZoneInfo

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_wtf import FlaskForm
from sqlalchemy.orm import Session
from werkzeug.wrappers import Response

from launchpad.models import KpiTarget, Launch, User
from launchpad.planning.timezones import local_to_utc
from launchpad.services.errors import InvalidInput, NotFound
from launchpad.services.kpi_alerts import AlertPolicy, mute_target, set_alert_policy
from launchpad.services.kpi_panel import get_target, kpi_panel
from launchpad.services.measurement_import import import_csv
from launchpad.services.measurements import (
    IdempotencyConflict,
    NewMeasurement,
    record_measurement,
)
from launchpad.web.forms import options
from launchpad.web.forms.kpi import (
    UPLOAD_LIMIT,
    MuteForm,
    PolicyForm,
    UploadForm,
    ValueForm,
)
from launchpad.web.kpi_chart import chart
from launchpad.web.support import allowed, now, show_problems, user_zone

bp = Blueprint("kpi_pages", __name__, url_prefix="/launches/<int:launch_id>/kpis")
PAGE = "kpis/panel.html"
UPLOAD_REQUEST_LIMIT = UPLOAD_LIMIT + 64 * 1024  # the file plus the multipart envelope
SHOWN_PROBLEMS = 20  # lines of a bad upload listed on the page


def _as_utc(typed: datetime, user: User) -> datetime:
    """A wall-clock time typed by `user`, in their zone (DST as `local_to_utc` decides)."""
    return local_to_utc(typed.date(), typed.time(), user_zone(user).key)


def _to_local(instant: datetime, zone: tzinfo) -> datetime:
    """A stored instant as the wall-clock time a datetime-local input shows."""
    return instant.astimezone(zone).replace(tzinfo=None)


def _shown_in(zone: ZoneInfo) -> Callable[[datetime | None], str]:
    """`local(instant)` for the templates: `2027-03-09 09:00 Europe/Berlin`."""

    def local(instant: datetime | None) -> str:
        return "—" if instant is None else f"{instant.astimezone(zone):%Y-%m-%d %H:%M} {zone.key}"

    return local


@bp.url_value_preprocessor
def _room_for_uploads(endpoint: str | None, _values: dict[str, Any] | None) -> None:
    """The upload takes up to 2 MiB of CSV; every other form keeps the app's 1 MiB cap.
    Set before the CSRF check (a before_request hook) reads the body."""
    if endpoint == "web.kpi_pages.upload":
        request.max_content_length = UPLOAD_REQUEST_LIMIT


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
    max_age = target.max_age_seconds
    return PolicyForm(
        formdata=None,
        prefix=prefix,
        pending_evals=target.pending_evals,
        keep_firing_evals=target.keep_firing_evals,
        repeat_minutes=None if repeat is None else repeat // 60,
        grace_seconds=target.grace_seconds,
        max_age_minutes=None if max_age is None else max_age // 60,
    )


def _mute_form(target: KpiTarget, zone: tzinfo | None = None, formdata: bool = False) -> MuteForm:
    """Posted, or showing the current mute's end (if any) in the person's zone."""
    prefix = f"m{target.id}-"
    if formdata:
        return MuteForm(prefix=prefix)
    until = target.muted_until
    shown = None if until is None or zone is None or until <= now() else _to_local(until, zone)
    return MuteForm(formdata=None, prefix=prefix, until=shown)


def _page(
    session: Session,
    launch: Launch,
    *,
    user: User,
    value_form: ValueForm | None = None,
    upload_form: UploadForm | None = None,
    forms: dict[str, FlaskForm] | None = None,
    status: int = 200,
) -> tuple[str, int]:
    zone = user_zone(user)
    panels = kpi_panel(session, launch.id, now())
    entries = []
    for panel in panels:
        target = panel.target
        mute_form = (forms or {}).get(f"m{target.id}") or _mute_form(target, zone)
        assert isinstance(mute_form, MuteForm)
        mute_form.until.label.text = f"Mute until ({zone.key})"
        entries.append(
            {
                "panel": panel,
                "chart": chart(panel.series, target.threshold),
                "mute_form": mute_form,
                "policy_form": (forms or {}).get(f"t{target.id}") or _policy_form(target),
            }
        )
    form = value_form or ValueForm(formdata=None)
    form.metric.choices = options((m, m) for m in sorted({p.target.metric for p in panels}))
    form.observed_at.label.text = f"Observed at ({zone.key}, optional)"
    html = render_template(
        PAGE,
        launch=launch,
        entries=entries,
        value_form=form,
        upload_form=upload_form or UploadForm(formdata=None),
        upload_limit_mib=UPLOAD_LIMIT // (1024 * 1024),
        local=_shown_in(zone),
    )
    return html, status


@bp.get("")
def panel(launch_id: int) -> tuple[str, int]:
    user, session = allowed("launch.view")
    return _page(session, _launch(session, launch_id), user=user)


@bp.post("/values")
def record(launch_id: int) -> tuple[str, int] | Response:
    user, session = allowed("measurement.push")
    launch = _launch(session, launch_id)
    form = ValueForm()
    form.metric.choices = []
    if not form.validate_on_submit():
        return _page(session, launch, user=user, value_form=form, status=400)
    typed = form.observed_at.data
    observed = None if typed is None else _as_utc(typed, user)
    item = NewMeasurement(form.metric.data or "", float(form.value.data or 0.0), observed)
    try:
        record_measurement(session, launch.id, item, source="manual", now=now(), actor=user)
    except InvalidInput as error:
        session.rollback()
        show_problems(form, error)
        return _page(session, launch, user=user, value_form=form, status=400)
    except IdempotencyConflict as error:
        session.rollback()
        form.form_errors.append(str(error))
        return _page(session, launch, user=user, value_form=form, status=400)
    session.commit()
    flash(f"Recorded {item.value:g} for {item.metric}.", "success")
    return redirect(url_for("web.kpi_pages.panel", launch_id=launch.id))


@bp.post("/upload")
def upload(launch_id: int) -> tuple[str, int] | Response:
    """A CSV file of values (see `import_csv`): all of it is stored, or none of it."""
    user, session = allowed("measurement.push")
    launch = _launch(session, launch_id)
    form = UploadForm()
    if not form.validate_on_submit():
        return _page(session, launch, user=user, upload_form=form, status=400)
    try:
        text = form.file.data.read().decode("utf-8")
    except UnicodeDecodeError:
        form.file.errors = [*form.file.errors, "The file is not UTF-8 text: save it as CSV UTF-8."]
        return _page(session, launch, user=user, upload_form=form, status=400)
    try:
        results = import_csv(session, launch.id, text, now=now(), actor=user)
    except InvalidInput as error:
        session.rollback()
        form.form_errors.extend(_upload_problems(error))
        form.file.errors = [*form.file.errors, "Nothing was imported: fix the lines listed above."]
        return _page(session, launch, user=user, upload_form=form, status=400)
    except IdempotencyConflict as error:
        session.rollback()
        form.file.errors = [*form.file.errors, f"Nothing was imported: {error}."]
        return _page(session, launch, user=user, upload_form=form, status=400)
    session.commit()
    created = sum(1 for result in results if result.created)
    skipped = len(results) - created
    flash(
        f"Imported {created} {'value' if created == 1 else 'values'}; "
        f"{skipped} {'duplicate' if skipped == 1 else 'duplicates'} skipped.",
        "success",
    )
    return redirect(url_for("web.kpi_pages.panel", launch_id=launch.id))


def _upload_problems(error: InvalidInput) -> list[str]:
    """`Line 3: value 'x' is not a number`, ...; a long list is cut short."""
    lines = [f"{where[:1].upper()}{where[1:]}: {what}" for where, what in error.problems.items()]
    if len(lines) > SHOWN_PROBLEMS:
        more = len(lines) - SHOWN_PROBLEMS
        lines = [*lines[:SHOWN_PROBLEMS], f"... and {more} more lines with problems."]
    return lines


@bp.post("/<int:target_id>/mute")
def mute(launch_id: int, target_id: int) -> tuple[str, int] | Response:
    user, session = allowed("kpi.manage")
    launch = _launch(session, launch_id)
    target = _target(session, launch_id, target_id)
    form = _mute_form(target, formdata=True)
    if not form.validate_on_submit():
        return _page(session, launch, user=user, forms={f"m{target.id}": form}, status=400)
    until: datetime | None = None
    if not form.unmute.data:
        if form.until.data is None:
            form.until.errors = [*form.until.errors, "Give a date and time."]
            return _page(session, launch, user=user, forms={f"m{target.id}": form}, status=400)
        until = _as_utc(form.until.data, user)
    try:
        mute_target(session, target.id, until, now(), actor=user)
    except InvalidInput as error:
        session.rollback()
        show_problems(form, error)
        return _page(session, launch, user=user, forms={f"m{target.id}": form}, status=400)
    session.commit()
    flash(f"{target.name} is {'muted' if until else 'unmuted'}.", "success")
    return redirect(url_for("web.kpi_pages.panel", launch_id=launch.id))


@bp.post("/<int:target_id>/policy")
def policy(launch_id: int, target_id: int) -> tuple[str, int] | Response:
    user, session = allowed("kpi.manage")
    launch = _launch(session, launch_id)
    target = _target(session, launch_id, target_id)
    form = _policy_form(target, formdata=True)
    if not form.validate_on_submit():
        return _page(session, launch, user=user, forms={f"t{target.id}": form}, status=400)
    minutes = form.repeat_minutes.data
    max_age = form.max_age_minutes.data
    new = AlertPolicy(
        pending_evals=form.pending_evals.data or 1,
        keep_firing_evals=form.keep_firing_evals.data or 1,
        repeat_interval_seconds=None if minutes is None else minutes * 60,
        grace_seconds=form.grace_seconds.data or 0,
        max_age_seconds=None if max_age is None else max_age * 60,
    )
    try:
        set_alert_policy(session, target.id, new, actor=user, now=now())
    except InvalidInput as error:
        session.rollback()
        aliases = {
            "repeat_interval_seconds": "repeat_minutes",
            "max_age_seconds": "max_age_minutes",
        }
        show_problems(form, error, aliases)
        return _page(session, launch, user=user, forms={f"t{target.id}": form}, status=400)
    session.commit()
    flash(f"The alert policy of {target.name} is saved.", "success")
    return redirect(url_for("web.kpi_pages.panel", launch_id=launch.id))
