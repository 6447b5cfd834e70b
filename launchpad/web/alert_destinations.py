"""Where alerts go, for admins: destinations (list, create, enable, test), each one's
delivery log, and the failed deliveries, each with a retry button.

A new webhook's signing secret is shown once, on the answer to the form that made it.
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_wtf import FlaskForm
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.wrappers import Response
from wtforms import BooleanField, SelectField, StringField
from wtforms.validators import Length

from launchpad.extensions import get_state
from launchpad.models import Destination, Launch
from launchpad.models.notifications import AUDIENCES, DESTINATION_KINDS
from launchpad.services.delivery_log import destination_log, failed_deliveries, retry_delivery
from launchpad.services.destinations import (
    NewDestination,
    create_destination,
    send_test,
    set_enabled,
)
from launchpad.services.errors import InvalidInput, NotFound
from launchpad.web.forms import no_nul, options
from launchpad.web.support import allowed, now, page_number, show_problems

bp = Blueprint("destinations", __name__, url_prefix="/admin/destinations")
PAGE = "notifications/destinations.html"
KIND_LABELS = {
    "email": "Email",
    "webhook": "Webhook (signed)",
    "slack": "Slack-compatible webhook",
    "in_app": "In-app inbox",
}


def trim(value: object) -> object:
    return value.strip() if isinstance(value, str) else value


class DestinationForm(FlaskForm):
    kind = SelectField(
        "Kind", choices=options((k, KIND_LABELS.get(k, k)) for k in DESTINATION_KINDS)
    )
    name = StringField("Name", [Length(max=200)], filters=[no_nul, trim])
    address = StringField("Address", [Length(max=1000)], filters=[no_nul, trim])
    audience = SelectField("Audience", choices=options((a, a) for a in AUDIENCES))
    launch = SelectField("For", validate_choice=False, default="")
    allow_private = BooleanField("Allow private or local addresses")


class ActionForm(FlaskForm):
    """Only the CSRF token: the button's URL says what to do."""


def _form(session: Session) -> DestinationForm:
    form = DestinationForm()
    launches = session.scalars(select(Launch).order_by(Launch.launch_date.desc(), Launch.id))
    form.launch.choices = options(
        [("", "The whole organisation"), *((str(x.id), x.name) for x in launches)]
    )
    return form


def _page(
    session: Session, form: DestinationForm, secret: str | None = None, status: int = 200
) -> tuple[str, int]:
    launches = {x.id: x.name for x in session.scalars(select(Launch))}
    shared = select(Destination).where(Destination.user_id.is_(None)).order_by(Destination.id)
    everything = list(session.scalars(shared))  # each launch's and the organisation's
    html = render_template(
        PAGE,
        form=form,
        destinations=everything,
        launches=launches,
        failed=failed_deliveries(session),
        secret=secret,
        kinds=KIND_LABELS,
    )
    return html, status


@bp.get("")
def index() -> tuple[str, int]:
    _user, session = allowed("webhook.manage")
    return _page(session, _form(session))


@bp.post("")
def create() -> tuple[str, int]:
    _user, session = allowed("webhook.manage")
    form = _form(session)
    if not form.validate_on_submit():
        return _page(session, form, status=400)
    launch = form.launch.data or ""
    new = NewDestination(
        kind=form.kind.data or "",
        name=form.name.data or "",
        address=form.address.data or "",
        audience=form.audience.data or "business",
        launch_id=int(launch) if launch.isdigit() else None,
        allow_private=bool(form.allow_private.data),
    )
    try:
        made, secret = create_destination(
            session, new, secret_key=get_state().settings.secret_key, now=now()
        )
    except InvalidInput as error:
        session.rollback()
        show_problems(form, error, {"launch_id": "launch"})
        return _page(session, form, status=400)
    session.commit()
    flash(f"Destination {made.name} is created.", "success")
    return _page(session, _form(session), secret)


@bp.post("/<int:destination_id>/enable")
def enable(destination_id: int) -> Response:
    return _switch(destination_id, True)


@bp.post("/<int:destination_id>/disable")
def disable(destination_id: int) -> Response:
    return _switch(destination_id, False)


def _switch(destination_id: int, enabled: bool) -> Response:
    _user, session = allowed("webhook.manage")
    if ActionForm().validate_on_submit():
        made = set_enabled(session, destination_id, enabled, now())
        session.commit()
        flash(f"{made.name} is {'enabled' if enabled else 'disabled'}.", "success")
    return redirect(url_for("web.destinations.index"))


@bp.post("/<int:destination_id>/test")
def test(destination_id: int) -> Response:
    user, session = allowed("webhook.manage")
    if ActionForm().validate_on_submit():
        send_test(session, destination_id, user, now())
        session.commit()
        flash("A test notification is on its way; failures show below.", "success")
    return redirect(url_for("web.destinations.index"))


@bp.get("/<int:destination_id>/deliveries")
def deliveries(destination_id: int) -> str:
    """The destination's delivery log, newest first, 50 messages a page."""
    _user, session = allowed("webhook.manage")
    destination = session.get(Destination, destination_id)
    if destination is None or destination.user_id is not None:
        raise NotFound("destination", destination_id)
    return render_template(
        "notifications/destination_log.html",
        destination=destination,
        log=destination_log(session, destination_id, page_number(request.args.get("page", ""))),
        kinds=KIND_LABELS,
    )


@bp.post("/deliveries/<int:message_id>/retry")
def retry(message_id: int) -> Response:
    _user, session = allowed("webhook.manage")
    if ActionForm().validate_on_submit():
        try:
            retry_delivery(session, message_id, now())
        except InvalidInput as error:
            session.rollback()
            flash(" ".join(error.problems.values()), "error")
            return redirect(url_for("web.destinations.index"))
        session.commit()
        flash("The delivery will be tried again now.", "success")
    return redirect(url_for("web.destinations.index"))
