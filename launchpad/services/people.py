"""People and teams: creating them, memberships and who leads a team."""

from __future__ import annotations

import re
from datetime import datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from launchpad.models import Membership, Team, User
from launchpad.models.people import USER_ROLES
from launchpad.planning.timezones import TimeZoneError, zone
from launchpad.services.errors import InvalidInput, NotFound
from launchpad.services.feed_tokens import revoke_tokens_of

_EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_TEAM_KEY_RE = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_hasher = PasswordHasher()
MIN_PASSWORD_LENGTH = 10


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def password_matches(user: User, password: str) -> bool:
    if not user.password_hash:
        return False
    try:
        return _hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def normalise_email(email: str) -> str:
    return email.strip().lower()


def create_user(
    session: Session,
    *,
    email: str,
    password: str | None,
    role: str,
    now: datetime,
    name: str | None = None,
    timezone: str = "UTC",
) -> User:
    """A new person; every problem with the input is reported at once."""
    email = normalise_email(email)
    problems = _user_problems(session, email, password, role, timezone)
    if problems:
        raise InvalidInput(problems)
    user = User(
        email=email,
        name=name or email.split("@")[0],
        password_hash=hash_password(password) if password else None,
        role=role,
        timezone=timezone,
        created_at=now,
    )
    session.add(user)
    session.flush()
    return user


def _user_problems(
    session: Session, email: str, password: str | None, role: str, timezone: str
) -> dict[str, str]:
    problems: dict[str, str] = {}
    if not _EMAIL_RE.match(email):
        problems["email"] = f"'{email}' is not an email address"
    elif session.scalar(select(User.id).where(User.email == email)) is not None:
        problems["email"] = f"{email} already has an account"
    if password is not None and len(password) < MIN_PASSWORD_LENGTH:
        problems["password"] = f"use at least {MIN_PASSWORD_LENGTH} characters"
    if role not in USER_ROLES:
        problems["role"] = f"'{role}' is not a role; use one of {', '.join(USER_ROLES)}"
    try:
        zone(timezone)
    except TimeZoneError as error:
        problems["timezone"] = str(error)
    return problems


def user_by_email(session: Session, email: str) -> User:
    user = session.scalar(select(User).where(User.email == normalise_email(email)))
    if user is None:
        raise NotFound("person", email)
    return user


def ensure_team(session: Session, key: str, now: datetime, name: str | None = None) -> Team:
    """The team `key`, created on first mention (templates name teams freely)."""
    team = session.scalar(select(Team).where(Team.key == key))
    if team is None:
        if not _TEAM_KEY_RE.match(key):
            raise InvalidInput({"team": f"'{key}' is not a team key (lowercase, digits, -, _)"})
        team = Team(
            key=key, name=name or key.replace("-", " ").replace("_", " ").title(), created_at=now
        )
        session.add(team)
        session.flush()
    return team


def add_to_team(session: Session, user: User, team: Team, *, lead: bool = False) -> Membership:
    membership = session.scalar(
        select(Membership).where(Membership.user_id == user.id, Membership.team_id == team.id)
    )
    if membership is None:
        membership = Membership(user_id=user.id, team_id=team.id, is_lead=lead)
        session.add(membership)
    membership.is_lead = lead or membership.is_lead
    session.flush()
    return membership


def remove_from_team(session: Session, user: User, team: Team) -> None:
    """Leave a team; its calendar feeds stop answering for this person at the next fetch."""
    membership = session.scalar(
        select(Membership).where(Membership.user_id == user.id, Membership.team_id == team.id)
    )
    if membership is not None:
        session.delete(membership)
        session.flush()


def deactivate_user(session: Session, user: User, now: datetime) -> None:
    """No more sign-ins, tokens or feeds: every calendar feed token they own is revoked."""
    user.active = False
    revoke_tokens_of(session, user.id, now)
    session.flush()


def team_leads(session: Session, team_ids: set[int]) -> dict[int, int]:
    """team id -> user id of its lead (the first active lead by id), for role fallback."""
    rows = session.execute(
        select(Membership.team_id, Membership.user_id)
        .join(User, User.id == Membership.user_id)
        .where(Membership.team_id.in_(team_ids), Membership.is_lead, User.active)
        .order_by(Membership.user_id)
    )
    leads: dict[int, int] = {}
    for team_id, user_id in rows:
        leads.setdefault(team_id, user_id)
    return leads
