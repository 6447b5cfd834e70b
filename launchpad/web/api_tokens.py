"""API tokens: one's own personal access tokens, made and revoked in the UI.

A new token's secret is shown once, on the answer to the form that made it: it is never
stored, nor put in the (signed, not encrypted) session cookie for a redirect.
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_wtf import FlaskForm
from sqlalchemy.orm import Session
from werkzeug.wrappers import Response
from wtforms import BooleanField, IntegerField, StringField
from wtforms.validators import Length, NumberRange, Optional

from launchpad.models import ApiToken, User
from launchpad.services.api_tokens import (
    MAX_EXPIRY_DAYS,
    IssuedToken,
    create_token,
    list_tokens,
    revoke_token,
)
from launchpad.services.errors import InvalidInput, NotFound
from launchpad.web.forms import no_nul
from launchpad.web.support import allowed, now, show_problems

bp = Blueprint("api_tokens", __name__)
PAGE = "account/tokens.html"
_DAYS = f"give 1 to {MAX_EXPIRY_DAYS} days"


def trim(value: object) -> object:
    return value.strip() if isinstance(value, str) else value


class TokenForm(FlaskForm):
    label = StringField("Label", [Length(max=100)], filters=[no_nul, trim])
    read_only = BooleanField("Read-only (cannot change anything)", default=True)
    expires_days = IntegerField(
        "Expires after (days, optional)",
        [Optional(), NumberRange(1, MAX_EXPIRY_DAYS, _DAYS)],
    )


def _page(
    session: Session,
    user: User,
    form: TokenForm,
    issued: IssuedToken | None = None,
    status: int = 200,
) -> tuple[str, int]:
    tokens = list_tokens(session, user)
    return render_template(PAGE, form=form, tokens=tokens, issued=issued, now=now()), status


@bp.get("/account/tokens")
def index() -> tuple[str, int]:
    user, session = allowed("token.manage")
    return _page(session, user, TokenForm())


@bp.post("/account/tokens")
def create() -> tuple[str, int]:
    user, session = allowed("token.manage")
    form = TokenForm()
    if not form.validate_on_submit():
        return _page(session, user, form, status=400)
    try:
        issued = create_token(
            session,
            user,
            label=form.label.data or "",
            read_only=bool(form.read_only.data),
            expires_days=form.expires_days.data,
            now=now(),
        )
    except InvalidInput as error:
        session.rollback()
        show_problems(form, error, {"expires": "expires_days"})
        return _page(session, user, form, status=400)
    session.commit()
    return _page(session, user, TokenForm(formdata=None), issued)


@bp.post("/account/tokens/<int:token_id>/revoke")
def revoke(token_id: int) -> Response:
    user, session = allowed("token.manage")
    token = session.get(ApiToken, token_id)
    if token is None or token.user_id != user.id:  # admins revoke others' at the command line
        raise NotFound("API token", token_id)
    revoke_token(session, token_id, actor=user, now=now())
    session.commit()
    flash("The token is revoked: programs using it are refused from now on.", "success")
    return redirect(url_for("web.api_tokens.index"))
