"""Changing how a KPI target alerts: damping, reminders, grace, staleness, mute.

Callers check permissions (`kpi.manage`). A mute is an overlay: checks go on and the
state machine moves, only the notices are held back until `muted_until`.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from launchpad.models import KpiTarget, Launch, User
from launchpad.services import audit
from launchpad.services.errors import InvalidInput
from launchpad.services.kpi_panel import get_target
from launchpad.services.kpi_targets import policy_problems

MAX_MUTE = timedelta(days=90)


@dataclass(frozen=True, slots=True)
class AlertPolicy:
    pending_evals: int = 1
    keep_firing_evals: int = 1
    repeat_interval_seconds: int | None = None
    grace_seconds: int = 300
    max_age_seconds: int | None = None


def set_alert_policy(
    session: Session,
    target_id: int,
    policy: AlertPolicy,
    *,
    now: datetime,
    actor: User | None = None,
) -> KpiTarget:
    """Applies to the next evaluation (grace to checks materialised from now on); audited."""
    problems = policy_problems(asdict(policy))
    if problems:
        raise InvalidInput(problems)
    target = get_target(session, target_id)
    before = {name: getattr(target, name) for name in AlertPolicy.__dataclass_fields__}
    for name in AlertPolicy.__dataclass_fields__:
        setattr(target, name, getattr(policy, name))
    session.flush()
    if before != asdict(policy):
        _audit(session, target, "kpi.policy_changed", before, asdict(policy), actor, now)
    return target


def mute_target(
    session: Session,
    target_id: int,
    until: datetime | None,
    now: datetime,
    *,
    actor: User | None = None,
) -> KpiTarget:
    """Hold this target's notices back until `until` (None unmutes); audited."""
    if until is not None and not now < until <= now + MAX_MUTE:
        raise InvalidInput({"until": "mute for at most 90 days from now"})
    target = get_target(session, target_id)
    before = target.muted_until
    target.muted_until = until
    session.flush()
    action = "kpi.muted" if until else "kpi.unmuted"
    shown = {"muted_until": before}, {"muted_until": until}
    _audit(session, target, action, *shown, actor, now)
    return target


def _audit(
    session: Session,
    target: KpiTarget,
    action: str,
    before: dict[str, Any],
    after: dict[str, Any],
    actor: User | None,
    now: datetime,
) -> None:
    audit.record(
        session,
        action=action,
        entity="kpi_target",
        entity_id=target.id,
        actor=actor,
        now=now,
        launch=session.get(Launch, target.launch_id),
        before=before,
        after={"name": target.name, **after},
    )
