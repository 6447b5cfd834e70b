"""A person's own account: the password (changing it proves the old one first) and the time
zone their digests, typed-in times and "today" follow."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from launchpad.models import User
from launchpad.planning.timezones import TimeZoneError, zone
from launchpad.services import audit
from launchpad.services.errors import InvalidInput
from launchpad.services.people import MIN_PASSWORD_LENGTH, hash_password, password_matches

MAX_PASSWORD_LENGTH = 1024  # argon2 copes, but a megabyte "password" is an attack


def password_problem(password: str) -> str | None:
    """Why `password` is not acceptable, or None."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"use at least {MIN_PASSWORD_LENGTH} characters"
    if len(password) > MAX_PASSWORD_LENGTH:
        return f"use at most {MAX_PASSWORD_LENGTH} characters"
    return None


def change_password(session: Session, user: User, current: str, new: str, *, now: datetime) -> None:
    """Replace the password; every other signed-in browser of `user` is signed out."""
    problems: dict[str, str] = {}
    if not password_matches(user, current):
        problems["current_password"] = "this is not your current password"
    problem = password_problem(new)
    if problem:
        problems["new_password"] = problem
    elif new == current:
        problems["new_password"] = "choose a password different from the current one"
    if problems:
        raise InvalidInput(problems)
    set_password(session, user, new, actor=user, now=now)


def set_password(
    session: Session, user: User, password: str, *, actor: User | None, now: datetime
) -> None:
    problem = password_problem(password)
    if problem:
        raise InvalidInput({"password": problem})
    user.password_hash = hash_password(password)
    session.flush()
    audit.record(
        session,
        action="person.password_changed",
        entity="person",
        entity_id=user.id,
        actor=actor,
        now=now,
    )


def set_time_zone(session: Session, user: User, name: str, *, now: datetime) -> None:
    """Use the IANA zone `name` for `user` from now on (their digests go out at 09:00 there)."""
    try:
        zone(name)
    except TimeZoneError as error:
        raise InvalidInput({"timezone": str(error)}) from None
    if name == user.timezone:
        return
    before = user.timezone
    user.timezone = name
    session.flush()
    audit.record(
        session,
        action="person.timezone_changed",
        entity="person",
        entity_id=user.id,
        actor=user,
        now=now,
        before={"timezone": before},
        after={"timezone": name},
    )
