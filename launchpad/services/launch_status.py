"""Launch lifecycle (draft -> scheduled -> launched -> closed, or cancelled) and sign-offs."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from launchpad.models import Launch, LaunchSignoff, Membership, Team, User
from launchpad.services import audit
from launchpad.services.errors import Forbidden, InvalidInput
from launchpad.services.launch_access import flush_launch, launch_for_change
from launchpad.services.launch_events import emit, launch_summary

TRANSITIONS = {
    "draft": ("scheduled", "cancelled"),
    "scheduled": ("draft", "launched", "cancelled"),
    "launched": ("closed", "cancelled"),
    "closed": (),
    "cancelled": (),
}


def set_launch_status(
    session: Session,
    launch_id: int,
    status: str,
    *,
    expected_version: int | None,
    actor: User | None,
    now: datetime,
) -> Launch:
    launch = launch_for_change(session, launch_id, expected_version)
    allowed = TRANSITIONS.get(launch.status, ())
    if status not in allowed:
        hint = ", ".join(allowed) or "nothing"
        raise InvalidInput({"status": f"a {launch.status} launch can move to {hint}, not {status}"})
    before = launch.status
    launch.status, launch.updated_at = status, now
    flush_launch(session, launch)
    audit.record(
        session,
        action="launch.status_changed",
        entity="launch",
        entity_id=launch.id,
        actor=actor,
        now=now,
        launch=launch,
        before={"status": before},
        after={"status": status},
    )
    payload = {"launch": launch_summary(launch), "previous_status": before}
    key = f"launch.status_changed-{launch.id}-{launch.version}"
    emit(session, "launch.status_changed", launch.id, payload, key, now)
    return launch


def sign_off(
    session: Session, launch_id: int, team_key: str, *, actor: User, now: datetime
) -> LaunchSignoff:
    """A team lead's go for their team; only that team's lead may give it."""
    launch = launch_for_change(session, launch_id, None)
    team = session.scalar(select(Team).where(Team.key == team_key))
    if team is None:
        raise InvalidInput({"team": f"no team '{team_key}'"})
    is_lead = session.scalar(
        select(Membership.id).where(
            Membership.team_id == team.id, Membership.user_id == actor.id, Membership.is_lead
        )
    )
    if is_lead is None:
        raise Forbidden(f"sign off for {team.name}: only its lead can")
    existing = session.scalar(
        select(LaunchSignoff).where(
            LaunchSignoff.launch_id == launch.id, LaunchSignoff.team_id == team.id
        )
    )
    if existing is not None:
        return existing
    signoff = LaunchSignoff(launch_id=launch.id, team_id=team.id, user_id=actor.id, signed_at=now)
    session.add(signoff)
    launch.updated_at = now
    flush_launch(session, launch)
    audit.record(
        session,
        action="launch.signed_off",
        entity="launch",
        entity_id=launch.id,
        actor=actor,
        now=now,
        launch=launch,
        after={"team": team.key},
    )
    payload = {
        "launch": launch_summary(launch),
        "team": {"id": team.id, "key": team.key, "name": team.name},
        "signed_off_by": actor.id,
        "signed_at": now.isoformat(),
    }
    key = f"gate.signed_off-{launch.id}-{team.id}"
    emit(session, "gate.signed_off", launch.id, payload, key, now)
    return signoff
