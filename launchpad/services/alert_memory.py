"""Translating between the alert rows and the pure state machine's values."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from launchpad.models import KpiAlert, KpiTarget, Launch, ScheduledCheck
from launchpad.planning.alert_states import Memory, Outcome, Policy, Status
from launchpad.planning.kpi_expressions import KpiCheck


def memory_of(alert: KpiAlert) -> Memory:
    return Memory(
        status=Status(alert.status),
        since=alert.since,
        incident=alert.incident,
        incident_open=alert.incident_open,
        incident_business=alert.incident_business,
        sequence=alert.sequence,
        misses=alert.misses,
        mets=alert.mets,
        last_notified_at=alert.last_notified_at,
        verdict=Outcome(alert.verdict) if alert.verdict else None,
    )


def store_memory(alert: KpiAlert, memory: Memory, now: datetime) -> None:
    alert.status = memory.status.value
    alert.since = memory.since
    alert.incident = memory.incident
    alert.incident_open = memory.incident_open
    alert.incident_business = memory.incident_business
    alert.sequence = memory.sequence
    alert.misses = memory.misses
    alert.mets = memory.mets
    alert.last_notified_at = memory.last_notified_at
    alert.verdict = memory.verdict.value if memory.verdict else None
    alert.updated_at = now


def policy_of(target: KpiTarget) -> Policy:
    repeat = target.repeat_interval_seconds
    return Policy(
        pending_evals=max(target.pending_evals, 1),
        keep_firing_evals=max(target.keep_firing_evals, 1),
        repeat_interval=timedelta(seconds=repeat) if repeat else None,
    )


def expression_of(target: KpiTarget) -> KpiCheck:
    return KpiCheck(target.metric, target.comparator, target.threshold)


def is_muted(target: KpiTarget, now: datetime) -> bool:
    return target.muted_until is not None and now < target.muted_until


def kpi_payload(
    target: KpiTarget, launch: Launch, check: ScheduledCheck, previous: str, memory: Memory
) -> dict[str, Any]:
    """What every renderer (email, webhook, Slack, in-app) needs, frozen at evaluation."""
    return {
        "target": {
            "id": target.id,
            "key": target.key,
            "name": target.name,
            "metric": target.metric,
            "comparator": target.comparator,
            "threshold": target.threshold,
            "unit": target.unit,
        },
        "launch": {"id": launch.id, "name": launch.name},
        "check": {
            "id": check.id,
            "due_at": check.due_at.isoformat(),
            "value": check.value,
            "outcome": check.outcome,
            "detail": check.detail,
            "final": check.final,
        },
        "status": memory.status.value,
        "previous_status": previous,
        "incident": memory.incident,
        "verdict": memory.verdict.value if memory.verdict else None,
        "path": f"/launches/{launch.id}#kpi-{target.key}",
    }
