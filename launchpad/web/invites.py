"""Accepting an invitation: the invited person chooses a password and is signed in."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from werkzeug.wrappers import Response

from launchpad.auth.login import start_session
from launchpad.extensions import get_session
from launchpad.services.errors import InvalidInput
from launchpad.services.invitations import accept as accept_invitation
from launchpad.services.invitations import open_invitation
from launchpad.web.forms.account import InvitationForm
from launchpad.web.support import form_status, now, show_problems

bp = Blueprint("invites", __name__)


@bp.route("/invitations/<token>", methods=["GET", "POST"])
def accept(token: str) -> str | Response | tuple[str, int]:
    """Unknown, used and expired links are all the same 404 (NotFound)."""
    session = get_session()
    invitation = open_invitation(session, token[:100], now())
    form = InvitationForm()
    if form.validate_on_submit():
        try:
            user = accept_invitation(session, token, form.password.data, now=now())
        except InvalidInput as error:
            session.rollback()
            show_problems(form, error)
        else:
            session.commit()
            start_session(user)
            flash(f"Welcome, {user.name}. Your password is set.", "success")
            return redirect(url_for("web.dashboard.index"))
    page = render_template("account/invitation.html", form=form, person=invitation.user)
    return page, form_status(form)
