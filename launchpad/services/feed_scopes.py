"""What a feed shows (a person's, a team's or a launch's tasks) and who may see it.

The access rule is asked again on every fetch, not only when the token is made: a token
outlives team changes, and a feed must stop the moment its owner may no longer see it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy import Connection, bindparam, select
from sqlalchemy.orm import Session

from launchpad.models import Launch, Membership, Team, User
from launchpad.models.feeds import SCOPE_KINDS
from launchpad.models.tasks import PHASE_NAMES
from launchpad.services.errors import InvalidInput, NotFound
from launchpad.services.feed_entries import LaunchDay

SEE_EVERY_PERSON_AND_TEAM = ("admin", "pm")


@dataclass(frozen=True, slots=True)
class FeedScope:
    kind: str  # person | team | launch
    id: int
    phase: str | None = None


class Viewer(Protocol):
    """Who asks: a ``User``, or the owner facts a feed fetch reads with its token."""

    @property
    def id(self) -> int: ...
    @property
    def name(self) -> str: ...
    @property
    def role(self) -> str: ...
    @property
    def active(self) -> bool: ...


@dataclass(frozen=True, slots=True)
class ScopeFacts:
    """What the access rule reads about a scope; a poll gets them joined onto its token."""

    person_name: str | None = None  # the person a person feed follows, if they exist
    team_name: str | None = None
    owner_in_team: bool = False
    launch: LaunchDay | None = None


@dataclass(frozen=True, slots=True)
class ScopeView:
    """A scope its owner may see: the feed's human name and what its launch day needs."""

    title: str
    slug: str
    launch: LaunchDay | None = None


def parse_scope(session: Session, text: str, owner: User, phase: str | None) -> FeedScope:
    """`person` (the owner's tasks), `team:KEY` or `launch:ID`, as the CLI writes them."""
    kind, _, ident = text.strip().partition(":")
    if phase is not None and phase not in PHASE_NAMES:
        raise InvalidInput({"phase": f"'{phase}' is not one of {', '.join(PHASE_NAMES)}"})
    if kind == "person" and not ident:
        return FeedScope("person", owner.id, phase)
    if kind == "team" and ident:
        team = session.scalar(select(Team).where(Team.key == ident))
        if team is None:
            raise NotFound("team", ident)
        return FeedScope("team", team.id, phase)
    if kind == "launch" and ident.isdigit():
        return FeedScope("launch", int(ident), phase)
    raise InvalidInput({"scope": f"'{text}' is not person, team:KEY or launch:ID"})


def scope_view(owner: Viewer, scope: FeedScope, facts: ScopeFacts) -> ScopeView | None:
    """The access rule: the scope as `owner` may see it, or None (deactivated, left, gone)."""
    if not owner.active or scope.kind not in SCOPE_KINDS:
        return None
    wide = owner.role in SEE_EVERY_PERSON_AND_TEAM
    if scope.kind == "person" and (scope.id == owner.id or wide):
        name = owner.name if scope.id == owner.id else facts.person_name
        return _view(f"Tasks of {name}", scope) if name is not None else None
    if scope.kind == "team" and facts.team_name is not None and (wide or facts.owner_in_team):
        return _view(f"{facts.team_name} team", scope)
    if scope.kind == "launch" and facts.launch is not None:
        return _view(f"{facts.launch.name} launch", scope, facts.launch)
    return None


def visible_scope(db: Session | Connection, owner: Viewer, scope: FeedScope) -> ScopeView | None:
    """The scope as `owner` may see it now, for pages and new tokens (a poll reads the
    facts with its token in one statement: ``feed_tokens.live_token``)."""
    facts = ScopeFacts()
    if scope.kind == "person" and scope.id != owner.id:
        facts = ScopeFacts(person_name=db.scalar(_PERSON, {"id": scope.id}))
    elif scope.kind == "team":
        team = db.execute(_TEAM, {"team": scope.id, "user": owner.id}).first()
        facts = ScopeFacts(team_name=team[0], owner_in_team=bool(team[1])) if team else facts
    elif scope.kind == "launch":
        launch = db.execute(_LAUNCH_DAY, {"id": scope.id}).first()
        facts = ScopeFacts(launch=LaunchDay(*launch)) if launch else facts
    return scope_view(owner, scope, facts)


# What a launch feed's launch-day event and ETag need, in LaunchDay's field order.
LAUNCH_DAY_COLUMNS = (
    Launch.id,
    Launch.name,
    Launch.launch_date,
    Launch.launch_time,
    Launch.timezone,
    Launch.status,
    Launch.version,
    Launch.updated_at,
)
_PERSON = select(User.name).where(User.id == bindparam("id"))
_TEAM = select(
    Team.name,
    select(Membership.id)
    .where(Membership.team_id == Team.id, Membership.user_id == bindparam("user"))
    .exists(),
).where(Team.id == bindparam("team"))
_LAUNCH_DAY = select(*LAUNCH_DAY_COLUMNS).where(Launch.id == bindparam("id"))


def _view(subject: str, scope: FeedScope, launch: LaunchDay | None = None) -> ScopeView:
    phase = f" ({scope.phase})" if scope.phase else ""
    slug = re.sub(r"[^a-z0-9]+", "-", f"{subject}{phase}".lower()).strip("-") or "feed"
    return ScopeView(f"Launchpad: {subject}{phase}", slug[:60], launch)
