"""Defining a launch's KPI targets after it was created: add, change, remove.

The check materialiser reconciles each target's scheduled checks on its next tick, so a
changed schedule needs nothing more here than the row and its audit event.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from launchpad.models import KpiTarget, LaunchRole, Team, User
from launchpad.planning.kpi_expressions import KpiCheck, KpiExpressionError, parse_kpi_check
from launchpad.planning.kpi_rules import schedule_problems
from launchpad.planning.offsets import OffsetError, parse_duration, parse_offset
from launchpad.services import audit
from launchpad.services.errors import InvalidInput, NotFound
from launchpad.services.launch_access import launch_for_change

_KEY_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,99}$")
# The alerting policy's bounds, the same over the API, in the UI and in set_alert_policy.
POLICY_LIMITS = {
    "pending_evals": (1, 100),
    "keep_firing_evals": (1, 100),
    "grace_seconds": (0, 7 * 86400),
    "repeat_interval_seconds": (60, 30 * 86400),
    "max_age_seconds": (60, 90 * 86400),
}


@dataclass(frozen=True, slots=True)
class KpiTargetInput:
    key: str
    check: str
    name: str = ""
    at: str | None = None
    every: str | None = None
    start: str | None = None
    until: str | None = None
    owner: str | None = None  # a launch role or a team key
    unit: str = ""
    pending_evals: int = 1
    keep_firing_evals: int = 1
    grace_seconds: int = 300
    repeat_interval_seconds: int | None = None
    max_age_seconds: int | None = None


def input_of(target: KpiTarget, owner: str | None) -> KpiTargetInput:
    """The editable fields of a stored target, to apply a partial change to."""
    check = str(KpiCheck(target.metric, target.comparator, target.threshold))
    return KpiTargetInput(
        target.key,
        check,
        target.name,
        target.at_offset,
        target.every,
        target.from_offset,
        target.until_offset,
        owner,
        target.unit,
        target.pending_evals,
        target.keep_firing_evals,
        target.grace_seconds,
        target.repeat_interval_seconds,
        target.max_age_seconds,
    )


def create_target(
    session: Session, launch_id: int, data: KpiTargetInput, *, actor: User | None, now: datetime
) -> KpiTarget:
    launch = launch_for_change(session, launch_id, None)
    values = _checked(session, launch_id, data, exclude_id=None)
    target = KpiTarget(launch_id=launch.id, created_at=now, **values)
    session.add(target)
    session.flush()
    audit.record(
        session,
        action="kpi.created",
        entity="kpi_target",
        entity_id=target.id,
        actor=actor,
        now=now,
        launch=launch,
        after=_public(values),
    )
    return target


def update_target(
    session: Session, target_id: int, changes: dict[str, Any], *, actor: User | None, now: datetime
) -> KpiTarget:
    target = get_target(session, target_id)
    launch = launch_for_change(session, target.launch_id, None)
    before = input_of(target, owner_key(session, target))
    unknown = set(changes) - set(KpiTargetInput.__dataclass_fields__)
    if unknown:
        raise InvalidInput({name: "cannot be changed" for name in sorted(unknown)})
    values = _checked(session, launch.id, replace(before, **changes), exclude_id=target.id)
    for name, value in values.items():
        setattr(target, name, value)
    session.flush()
    audit.record(
        session,
        action="kpi.updated",
        entity="kpi_target",
        entity_id=target.id,
        actor=actor,
        now=now,
        launch=launch,
        before=asdict(before),
        after=_public(values),
    )
    return target


def delete_target(session: Session, target_id: int, *, actor: User | None, now: datetime) -> None:
    target = get_target(session, target_id)
    launch = launch_for_change(session, target.launch_id, None)
    before = asdict(input_of(target, owner_key(session, target)))
    session.delete(target)
    session.flush()
    audit.record(
        session,
        action="kpi.deleted",
        entity="kpi_target",
        entity_id=target_id,
        actor=actor,
        now=now,
        launch=launch,
        before=before,
    )


def get_target(session: Session, target_id: int) -> KpiTarget:
    target = session.get(KpiTarget, target_id)
    if target is None:
        raise NotFound("KPI target", target_id)
    return target


def owner_key(session: Session, target: KpiTarget) -> str | None:
    if target.role:
        return target.role
    if target.team_id is None:
        return None
    return session.scalar(select(Team.key).where(Team.id == target.team_id))


def _checked(
    session: Session, launch_id: int, data: KpiTargetInput, exclude_id: int | None
) -> dict[str, Any]:
    """Column values for `data`, or InvalidInput naming every bad field."""
    problems: dict[str, str] = {}
    if not _KEY_RE.match(data.key):
        problems["key"] = "use lowercase letters, digits, - and _ (at most 100)"
    elif _key_taken(session, launch_id, data.key, exclude_id):
        problems["key"] = f"this launch already has a KPI target `{data.key}`"
    try:
        check = parse_kpi_check(data.check)
    except KpiExpressionError as error:
        problems["check"] = f"{error}; write e.g. signups >= 500"
        check = None
    problems.update(_schedule(data))
    problems.update(_limits(data))
    role, team_id = _owner(session, launch_id, data.owner, problems)
    if problems or check is None:
        raise InvalidInput(problems)
    return {
        "key": data.key,
        "name": data.name or str(check),
        "metric": check.metric,
        "comparator": check.comparator,
        "threshold": check.threshold,
        "role": role,
        "team_id": team_id,
        "unit": data.unit,
        "at_offset": data.at,
        "every": data.every,
        "from_offset": data.start,
        "until_offset": data.until,
        "pending_evals": data.pending_evals,
        "keep_firing_evals": data.keep_firing_evals,
        "grace_seconds": data.grace_seconds,
        "repeat_interval_seconds": data.repeat_interval_seconds,
        "max_age_seconds": data.max_age_seconds,
    }


def _schedule(data: KpiTargetInput) -> dict[str, str]:
    problems: dict[str, str] = {}
    parsed: dict[str, Any] = {}
    for name, text, parse in (
        ("at", data.at, parse_offset),
        ("every", data.every, parse_duration),
        ("from", data.start, parse_offset),
        ("until", data.until, parse_offset),
    ):
        try:
            parsed[name] = parse(text) if text is not None else None
        except OffsetError as error:
            problems[name] = str(error)
    if problems:
        return problems
    for name, message, hint in schedule_problems(
        parsed["at"], parsed["every"], parsed["from"], parsed["until"]
    ):
        problems.setdefault(name, f"{message}; {hint}")
    return problems


def _limits(data: KpiTargetInput) -> dict[str, str]:
    return policy_problems({name: getattr(data, name) for name in POLICY_LIMITS})


def policy_problems(values: dict[str, int | None]) -> dict[str, str]:
    """A message per alerting-policy value out of its bounds (None means "not set")."""
    problems = {}
    for name, value in values.items():
        low, high = POLICY_LIMITS[name]
        if value is not None and not low <= value <= high:
            problems[name] = f"give a number from {low} to {high}"
    return problems


def _owner(
    session: Session, launch_id: int, owner: str | None, problems: dict[str, str]
) -> tuple[str | None, int | None]:
    if owner is None:
        return None, None
    role = session.scalar(
        select(LaunchRole).where(LaunchRole.launch_id == launch_id, LaunchRole.role == owner)
    )
    if role is not None:
        return role.role, role.team_id
    team_id = session.scalar(select(Team.id).where(Team.key == owner))
    if team_id is None:
        problems["owner"] = f"`{owner}` is neither a role of this launch nor a team"
    return None, team_id


def _key_taken(session: Session, launch_id: int, key: str, exclude_id: int | None) -> bool:
    query = select(KpiTarget.id).where(KpiTarget.launch_id == launch_id, KpiTarget.key == key)
    found = session.scalar(query)
    return found is not None and found != exclude_id


def _public(values: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in values.items() if k != "team_id"}
