"""The launch template library: browse, read one, preview it against any date."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from flask import Blueprint, render_template, request

from launchpad.extensions import get_state
from launchpad.planning.expansion import LaunchSettings
from launchpad.services.errors import InvalidInput
from launchpad.services.launch_planning import preview_plan
from launchpad.services.template_library import list_library
from launchpad.web.forms.dates import EARLIEST, LATEST
from launchpad.web.support import allowed, library_template, today

bp = Blueprint("library", __name__, url_prefix="/templates")


@bp.get("")
def index() -> str:
    allowed("template.view")
    return render_template("library/index.html", entries=list_library(_directory()))


@bp.get("/<key>")
def show(key: str) -> tuple[str, int]:
    """`?date=` previews the plan for that launch day with the default parameters."""
    allowed("template.view")
    spec = library_template(key)
    raw = request.args.get("date", "")[:20]
    problem, plan = None, None
    try:
        day = date.fromisoformat(raw) if raw else today()
        if not EARLIEST <= day <= LATEST:
            raise ValueError
        plan = preview_plan(spec, LaunchSettings(launch_day=day))
    except ValueError:
        problem = f"'{raw}' is not a date between {EARLIEST.year} and {LATEST.year}"
    except InvalidInput as error:
        problem = str(error)
    page = render_template("library/show.html", spec=spec, plan=plan, raw=raw, problem=problem)
    return page, 400 if problem else 200


def _directory() -> Path:
    return get_state().settings.templates_dir
