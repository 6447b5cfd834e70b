"""Changing how a KPI target alerts: damping, reminders, grace, staleness, mute.

Callers check permissions (`kpi.manage`). A mute is an overlay: checks go on and the
state machine moves, only the notices are held back until `muted_until`.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from launchpad.models import KpiTarget
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


def set_alert_policy(session: Session, target_id: int, policy: AlertPolicy) -> KpiTarget:
    """Applies to the next evaluation (grace to checks materialised from now on)."""
    problems = policy_problems(asdict(policy))
    if problems:
        raise InvalidInput(problems)
    target = get_target(session, target_id)
    for name in AlertPolicy.__dataclass_fields__:
        setattr(target, name, getattr(policy, name))
    session.flush()
    return target


def mute_target(
    session: Session, target_id: int, until: datetime | None, now: datetime
) -> KpiTarget:
    """Hold this target's notices back until `until` (None unmutes)."""
    if until is not None and not now < until <= now + MAX_MUTE:
        raise InvalidInput({"until": "mute for at most 90 days from now"})
    target = get_target(session, target_id)
    target.muted_until = until
    session.flush()
    return target
