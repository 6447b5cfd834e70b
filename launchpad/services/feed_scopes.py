"""What a feed shows (a person's, a team's or a launch's tasks) and who may see it.

The access rule is asked again on every fetch, not only when the token is made: a token
outlives team changes, and a feed must stop the moment its owner may no longer see it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from launchpad.models import Launch, Membership, Team, User
from launchpad.models.feeds import SCOPE_KINDS
from launchpad.models.tasks import PHASE_NAMES
from launchpad.services.errors import InvalidInput, NotFound

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
class ScopeView:
    """A scope its owner may see: the feed's human name and what its launch day needs."""

    title: str
    slug: str
    launch: Launch | None = None


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


def visible_scope(session: Session, owner: Viewer, scope: FeedScope) -> ScopeView | None:
    """The scope as `owner` may see it now, or None (deactivated, left the team, gone)."""
    if not owner.active or scope.kind not in SCOPE_KINDS:
        return None
    wide = owner.role in SEE_EVERY_PERSON_AND_TEAM
    view: ScopeView | None = None
    if scope.kind == "person" and (scope.id == owner.id or wide):
        person = owner if scope.id == owner.id else session.get(User, scope.id)
        view = _view(f"Tasks of {person.name}", scope) if person else None
    elif scope.kind == "team" and (wide or _is_member(session, owner.id, scope.id)):
        team = session.get(Team, scope.id)
        view = _view(f"{team.name} team", scope) if team else None
    elif scope.kind == "launch":
        launch = session.get(Launch, scope.id)
        view = _view(f"{launch.name} launch", scope, launch) if launch else None
    return view


def _is_member(session: Session, user_id: int, team_id: int) -> bool:
    found = session.scalar(
        select(Membership.id).where(Membership.user_id == user_id, Membership.team_id == team_id)
    )
    return found is not None


def _view(subject: str, scope: FeedScope, launch: Launch | None = None) -> ScopeView:
    phase = f" ({scope.phase})" if scope.phase else ""
    slug = re.sub(r"[^a-z0-9]+", "-", f"{subject}{phase}".lower()).strip("-") or "feed"
    return ScopeView(f"Launchpad: {subject}{phase}", slug[:60], launch)
