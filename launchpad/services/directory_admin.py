"""Admins adding people and teams, each change written to the audit log."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from launchpad.models import Membership, Team, User
from launchpad.services import audit
from launchpad.services.directory import team_by_key
from launchpad.services.errors import InvalidInput, NotFound
from launchpad.services.people import add_to_team, create_user, ensure_team


def create_person(
    session: Session,
    *,
    email: str,
    name: str,
    role: str,
    password: str | None,
    actor: User | None,
    now: datetime,
) -> User:
    """A new person; without a password they can only sign in through an invitation."""
    user = create_user(
        session, email=email, password=password, role=role, now=now, name=name.strip() or None
    )
    audit.record(
        session,
        action="person.created",
        entity="person",
        entity_id=user.id,
        actor=actor,
        now=now,
        after={"email": user.email, "role": role},
    )
    return user


def create_team(
    session: Session, key: str, name: str, *, actor: User | None, now: datetime
) -> Team:
    key = key.strip().lower()
    if team_by_key(session, key) is not None:
        raise InvalidInput({"key": f"there is already a team '{key}'"})
    if not name.strip() or len(name) > 200:
        raise InvalidInput({"name": "give the team a name of 1 to 200 characters"})
    try:
        team = ensure_team(session, key, now, name=name.strip())
    except InvalidInput as error:
        raise InvalidInput({"key": error.problems.get("team", str(error))}) from error
    audit.record(
        session,
        action="team.created",
        entity="team",
        entity_id=team.id,
        actor=actor,
        now=now,
        after={"key": team.key, "name": team.name},
    )
    return team


def add_member(
    session: Session,
    person_id: int,
    team_key: str,
    *,
    lead: bool,
    actor: User | None,
    now: datetime,
) -> Membership:
    """Put a person in a team (as its lead, if asked); adding twice only adds the lead."""
    person = session.get(User, person_id)
    if person is None:
        raise NotFound("person", person_id)
    team = team_by_key(session, team_key)
    if team is None:
        raise InvalidInput({"team": f"no team '{team_key}'"})
    membership = add_to_team(session, person, team, lead=lead)
    audit.record(
        session,
        action="team.member_added",
        entity="team",
        entity_id=team.id,
        actor=actor,
        now=now,
        after={"person_id": person.id, "email": person.email, "lead": membership.is_lead},
    )
    return membership
