"""My tasks: what the signed-in person has to do, across every live launch."""

from __future__ import annotations

from flask import Blueprint, render_template

from launchpad.services.my_tasks import my_tasks
from launchpad.web.support import allowed, today

bp = Blueprint("my_tasks", __name__)


@bp.get("/my-tasks")
def index() -> str:
    user, session = allowed("launch.view")
    now_day = today()
    return render_template("my_tasks.html", mine=my_tasks(session, user, now_day), today=now_day)
