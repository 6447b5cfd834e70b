"""Signing in and out, and one's own account: time zone and password."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from launchpad.auth.login import end_session, signed_in_user, start_session
from launchpad.auth.sign_in import check_sign_in
from launchpad.auth.throttle import SignInThrottle
from launchpad.broker import redis_connection
from launchpad.extensions import get_session, get_state
from launchpad.services.accounts import change_password, set_time_zone
from launchpad.services.errors import InvalidInput
from launchpad.web.forms.account import PasswordForm, SignInForm, TimeZoneForm
from launchpad.web.support import allowed, form_status, local_path, now, show_problems

bp = Blueprint("account", __name__)
_THROTTLE_KEY = "launchpad_signin_throttle"


@bp.route("/sign-in", methods=["GET", "POST"])
def sign_in() -> str | Response | tuple[str, int]:
    if signed_in_user() is not None:
        return redirect(_next_page())
    form = SignInForm()
    if not form.validate_on_submit():
        return render_template("account/sign_in.html", form=form), form_status(form)
    address = request.remote_addr or "unknown"
    result = check_sign_in(get_session(), _throttle(), form.email.data, form.password.data, address)
    if result.user is None:
        form.form_errors.append(result.message)
        return render_template("account/sign_in.html", form=form), 401
    start_session(result.user)
    return redirect(_next_page())


@bp.post("/sign-out")
def sign_out() -> Response:
    end_session()
    flash("You are signed out.", "info")
    return redirect(url_for("web.account.sign_in"))


@bp.route("/account", methods=["GET", "POST"])
def settings() -> str | Response | tuple[str, int]:
    """The person's own settings; the time zone is the form here."""
    user, session = allowed("account.manage")
    form = TimeZoneForm(data={"timezone": user.timezone})
    if form.validate_on_submit():
        try:
            set_time_zone(session, user, form.timezone.data or "", now=now())
        except InvalidInput as error:
            session.rollback()
            show_problems(form, error)
        else:
            session.commit()
            flash(f"Times are shown in {user.timezone} from now on.", "success")
            return redirect(url_for("web.account.settings"))
    return render_template("account/settings.html", form=form, user=user), form_status(form)


@bp.route("/account/password", methods=["GET", "POST"])
def password() -> str | Response | tuple[str, int]:
    user, session = allowed("account.manage")
    form = PasswordForm()
    if form.validate_on_submit():
        try:
            change_password(
                session, user, form.current_password.data, form.new_password.data, now=now()
            )
        except InvalidInput as error:
            show_problems(form, error)
        else:
            session.commit()
            start_session(user)  # this browser stays signed in; the others are signed out
            flash("Your password is changed. Other browsers were signed out.", "success")
            return redirect(url_for("web.dashboard.index"))
    return render_template("account/password.html", form=form), form_status(form)


def _next_page() -> str:
    return local_path(request.args.get("next", "")) or url_for("web.dashboard.index")


def _throttle() -> SignInThrottle:
    """One Redis client per app, made on first use."""
    throttle = current_app.extensions.get(_THROTTLE_KEY)
    if throttle is None:
        throttle = SignInThrottle(redis_connection(get_state().settings))
        current_app.extensions[_THROTTLE_KEY] = throttle
    return throttle
