"""One's in-app notifications: the inbox, the unread count in the header, mark-read."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from launchpad.auth.login import signed_in_user
from launchpad.extensions import get_session
from launchpad.services.inbox import list_notifications, mark_read, unread_count
from launchpad.web.support import allowed, now

bp = Blueprint("notifications", __name__)


class MarkReadForm(FlaskForm):
    """Only the CSRF token: which notifications comes from the URL."""


def header_unread() -> int:
    """The number next to "Inbox" in the header (0 for visitors)."""
    user = signed_in_user()
    return unread_count(get_session(), user.id) if user else 0


@bp.app_context_processor
def _inbox_count() -> dict[str, object]:
    return {"unread_notifications": header_unread}


@bp.get("/notifications")
def index() -> str:
    user, session = allowed("account.manage")
    unread_only = request.args.get("unread") == "1"
    items = list_notifications(session, user.id, unread_only=unread_only)
    return render_template(
        "notifications/index.html",
        items=items,
        unread=unread_count(session, user.id),
        unread_only=unread_only,
        form=MarkReadForm(),
    )


@bp.post("/notifications/read")
def read_all() -> Response:
    user, session = allowed("account.manage")
    if MarkReadForm().validate_on_submit():
        marked = mark_read(session, user.id, now())
        session.commit()
        flash(f"Marked {marked} notification{'s' if marked != 1 else ''} read.", "success")
    return redirect(url_for("web.notifications.index"))


@bp.post("/notifications/<int:notification_id>/read")
def read_one(notification_id: int) -> Response:
    user, session = allowed("account.manage")
    if MarkReadForm().validate_on_submit():
        mark_read(session, user.id, now(), [notification_id])
        session.commit()
    return redirect(url_for("web.notifications.index"))
