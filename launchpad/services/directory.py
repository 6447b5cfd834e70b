"""Reading people and teams with their memberships, a page at a time in few queries."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from launchpad.models import Membership, Team, User


@dataclass(frozen=True, slots=True)
class TeamMember:
    person_id: int
    email: str
    lead: bool


def members_of(session: Session, teams: Sequence[Team]) -> dict[int, list[TeamMember]]:
    """team id -> its members, leads first, in one query."""
    rows = session.execute(
        select(Membership.team_id, User.id, User.email, Membership.is_lead)
        .join(User, User.id == Membership.user_id)
        .where(Membership.team_id.in_([team.id for team in teams]))
        .order_by(Membership.team_id, Membership.is_lead.desc(), User.email)
    )
    members: dict[int, list[TeamMember]] = {team.id: [] for team in teams}
    for team_id, person_id, email, lead in rows:
        members[team_id].append(TeamMember(person_id, email, lead))
    return members


def teams_of(session: Session, people: Sequence[User]) -> dict[int, list[str]]:
    """person id -> keys of their teams, in one query."""
    rows = session.execute(
        select(Membership.user_id, Team.key)
        .join(Team, Team.id == Membership.team_id)
        .where(Membership.user_id.in_([person.id for person in people]))
        .order_by(Team.key)
    )
    keys: dict[int, list[str]] = {person.id: [] for person in people}
    for person_id, key in rows:
        keys[person_id].append(key)
    return keys


def team_by_key(session: Session, key: str) -> Team | None:
    return session.scalar(select(Team).where(Team.key == key))
