"""Small helpers every view uses: the acting person, the clock, form problems, sessions."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from flask_wtf import FlaskForm
from sqlalchemy.orm import Session

from launchpad.auth.login import signed_in_user
from launchpad.auth.permissions import require
from launchpad.extensions import get_session, get_state
from launchpad.models import User
from launchpad.planning.spec import TemplateSpec
from launchpad.planning.timezones import TimeZoneError, zone
from launchpad.services.errors import Forbidden, InvalidInput, NotFound
from launchpad.services.template_library import load_library_template


def actor() -> User:
    """The signed-in person (every non-public page requires one)."""
    user = signed_in_user()
    if user is None:
        raise Forbidden("do this without signing in")
    return user


def allowed(action: str, target: object | None = None) -> tuple[User, Session]:
    """The actor and the request's session, once `action` is permitted."""
    user = actor()
    require(action, user, target)
    return user, get_session()


def now() -> datetime:
    return datetime.now(UTC)


def today() -> date:
    """Today where the signed-in person is (UTC for visitors)."""
    user = signed_in_user()
    return now().astimezone(user_zone(user) if user else ZoneInfo("UTC")).date()


def user_zone(user: User) -> ZoneInfo:
    """The person's time zone; UTC when theirs is unknown to this machine."""
    try:
        return zone(user.timezone or "UTC")
    except TimeZoneError:
        return zone("UTC")


def page_number(raw: str) -> int:
    """``?page=N`` as a number from 1 (1 for anything else)."""
    text = raw.strip()[:9]
    return int(text) if text.isdigit() and int(text) > 0 else 1


def show_problems(
    form: FlaskForm, error: InvalidInput, aliases: dict[str, str] | None = None
) -> None:
    """Put each problem next to its field; the rest become form-level messages."""
    for key, message in error.problems.items():
        name = (aliases or {}).get(key, key)
        field = form._fields.get(name) if name else None
        if field is not None and name != "csrf_token":
            field.errors = [*field.errors, message]
        else:
            form.form_errors.append(message)


def form_status(form: FlaskForm) -> int:
    """400 when the form shows a problem (a field's or its own), else 200."""
    return 400 if form.errors else 200  # WTForms counts form-level errors in `errors`


def local_path(target: str) -> str | None:
    """`target` if it is a path on this site, else None: never an open redirect."""
    parts = urlsplit(target)
    unsafe = target.startswith("//") or "\\" in target or parts.scheme or parts.netloc
    return None if not target.startswith("/") or unsafe else target


_TEMPLATE_KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$")


def library_template(key: str) -> TemplateSpec:
    """A launch template by the key in a URL; odd keys are simply not found."""
    if not _TEMPLATE_KEY.match(key):
        raise NotFound("launch template", key[:100])
    return load_library_template(templates_dir(), key)


def templates_dir() -> Path:
    return get_state().settings.templates_dir
