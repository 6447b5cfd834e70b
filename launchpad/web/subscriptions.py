"""Calendar subscriptions: one's own feed tokens, made, rotated and revoked in the UI.

A new feed URL is shown once, on the answer to the form that made it: the secret is
never stored, nor put in the (signed, not encrypted) session cookie for a redirect.
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_wtf import FlaskForm
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.wrappers import Response
from wtforms import SelectChoice, SelectField, StringField
from wtforms.validators import Length

from launchpad.extensions import get_state
from launchpad.models import FeedToken, Launch, Membership, Team, User
from launchpad.models.tasks import PHASE_NAMES
from launchpad.services.errors import Forbidden, InvalidInput, NotFound
from launchpad.services.feed_links import FeedLinks, feed_links, feed_slug, subscriptions
from launchpad.services.feed_scopes import parse_scope
from launchpad.services.feed_tokens import (
    MAX_LABEL,
    IssuedFeedToken,
    create_feed_token,
    list_feed_tokens,
    revoke_feed_token,
    rotate_feed_token,
)
from launchpad.web.forms import no_nul, options
from launchpad.web.support import allowed, now, show_problems

bp = Blueprint("subscriptions", __name__)
PAGE = "account/calendars.html"


def trim(value: object) -> object:
    return value.strip() if isinstance(value, str) else value


class FeedForm(FlaskForm):
    # The service decides what may be subscribed to, so a forged value gets its message.
    scope = SelectField("Feed of", validate_choice=False)
    phase = SelectField(
        "Phase",
        choices=options([("", "Every phase"), *((name, name) for name in PHASE_NAMES)]),
        default="",
    )
    label = StringField("Label (optional)", [Length(max=MAX_LABEL)], filters=[no_nul, trim])


def _scope_choices(session: Session, user: User) -> list[SelectChoice]:
    """My tasks, each team the person is in, each launch (grouped in the select)."""
    teams = session.scalars(
        select(Team).join(Membership).where(Membership.user_id == user.id).order_by(Team.name)
    )
    launches = session.scalars(select(Launch).order_by(Launch.launch_date.desc(), Launch.id))
    return [
        SelectChoice("person", "My tasks", optgroup="Mine"),
        *(SelectChoice(f"team:{t.key}", f"{t.name} team", optgroup="My teams") for t in teams),
        *(
            SelectChoice(
                f"launch:{x.id}", f"{x.name} ({x.launch_date:%Y-%m-%d})", optgroup="Launches"
            )
            for x in launches
        ),
    ]


def _page(
    session: Session,
    user: User,
    form: FeedForm,
    issued: IssuedFeedToken | None = None,
    status: int = 200,
) -> tuple[str, int]:
    links: FeedLinks | None = None
    if issued is not None:
        slug = feed_slug(session, user, issued.token)
        links = feed_links(get_state().settings.base_url, issued.secret, slug)
    listed = subscriptions(session, list_feed_tokens(session, user))
    return render_template(PAGE, form=form, tokens=listed, links=links, issued=issued), status


def _form(session: Session, user: User) -> FeedForm:
    form = FeedForm()
    form.scope.choices = _scope_choices(session, user)
    return form


@bp.get("/account/calendars")
def index() -> tuple[str, int]:
    user, session = allowed("account.manage")
    return _page(session, user, _form(session, user))


@bp.post("/account/calendars")
def create() -> tuple[str, int]:
    user, session = allowed("account.manage")
    form = _form(session, user)
    if not form.validate_on_submit():
        return _page(session, user, form, status=400)
    try:
        scope = parse_scope(session, form.scope.data or "", user, form.phase.data or None)
        issued = create_feed_token(session, user, scope, label=form.label.data or "", now=now())
    except InvalidInput as error:
        session.rollback()
        show_problems(form, error)
        return _page(session, user, form, status=400)
    except (Forbidden, NotFound):
        session.rollback()
        form.scope.errors = [*form.scope.errors, "You may not subscribe to that feed."]
        return _page(session, user, form, status=400)
    session.commit()
    return _page(session, user, _form(session, user), issued)


@bp.post("/account/calendars/<int:token_id>/rotate")
def rotate(token_id: int) -> tuple[str, int] | Response:
    user, session = allowed("account.manage")
    if _own(session, user, token_id).revoked_at is not None:
        flash("That subscription is revoked; make a new one instead.", "error")
        return redirect(url_for("web.subscriptions.index"))
    try:
        issued = rotate_feed_token(session, token_id, actor=user, now=now())
    except Forbidden:
        session.rollback()
        flash("You may no longer see that feed, so it cannot get a new address.", "error")
        return redirect(url_for("web.subscriptions.index"))
    session.commit()
    return _page(session, user, _form(session, user), issued)


@bp.post("/account/calendars/<int:token_id>/revoke")
def revoke(token_id: int) -> Response:
    user, session = allowed("account.manage")
    _own(session, user, token_id)
    revoke_feed_token(session, token_id, actor=user, now=now())
    session.commit()
    flash("The subscription is revoked: calendars using it stop updating.", "success")
    return redirect(url_for("web.subscriptions.index"))


def _own(session: Session, user: User, token_id: int) -> FeedToken:
    """Only one's own tokens, from this page (admins use the command line for others')."""
    token = session.get(FeedToken, token_id)
    if token is None or token.owner_id != user.id:
        raise NotFound("feed token", token_id)
    return token
