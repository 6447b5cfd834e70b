"""Evaluating claimed checks: judge the value, step the alert, write the outbox, at once.

One transaction per batch holds the check rows, the alert states and the outbox rows, so
a worker killed half-way leaves nothing behind and the reaper's retry starts clean. A
check already `done` is skipped, which is what makes the job idempotent; a check older
than the last one its target has seen is recorded but does not move the alert back.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from launchpad.models import KpiAlert, KpiTarget, Launch, ScheduledCheck
from launchpad.planning.alert_states import step
from launchpad.planning.kpi_outcomes import Outcome, judge
from launchpad.services import alert_memory as am
from launchpad.services.alert_routes import Routes
from launchpad.services.bulk import insert_new
from launchpad.services.check_values import readings_as_of, source_failures
from launchpad.services.leases import begin_write
from launchpad.services.outbox import OutboxEntry, write_outbox


@dataclass(frozen=True, slots=True)
class Evaluated:
    checks: int
    notifications: int


def evaluate_checks(session: Session, check_ids: list[int], now: datetime) -> Evaluated:
    """Evaluate those of `check_ids` not yet done; flushes, the caller commits."""
    begin_write(session)
    checks = list(
        session.scalars(
            select(ScheduledCheck)
            .where(ScheduledCheck.id.in_(check_ids), ScheduledCheck.status != "done")
            .order_by(ScheduledCheck.target_id, ScheduledCheck.due_at)
            .with_for_update(skip_locked=True)
        )
    )
    if not checks:
        return Evaluated(0, 0)
    target_ids = sorted({check.target_id for check in checks})
    targets = {
        t.id: t for t in session.scalars(select(KpiTarget).where(KpiTarget.id.in_(target_ids)))
    }
    launch_ids = {t.launch_id for t in targets.values()}
    launches = {x.id: x for x in session.scalars(select(Launch).where(Launch.id.in_(launch_ids)))}
    alerts = _locked_alerts(session, target_ids, now)
    readings = readings_as_of(session, checks, targets)
    failures = source_failures(session, list(targets.values()))
    routes = Routes.load(session, list(targets.values()), launches)
    entries: list[OutboxEntry] = []
    for check in checks:
        target = targets[check.target_id]
        reading = readings.get(check.id)
        failure = failures.get(target.id)
        outcome = judge(am.expression_of(target), reading.value if reading else None, failure)
        check.status, check.evaluated_at, check.outcome = "done", now, outcome.value
        check.value = reading.value if reading else None
        check.detail = failure if reading is None else None
        check.evaluations += 1
        check.claim, check.lease_until = None, None
        entries += _advance(
            alerts[target.id], target, launches[target.launch_id], check, routes, now
        )
    written = write_outbox(session, entries, now)
    session.flush()
    return Evaluated(len(checks), written)


def _advance(
    alert: KpiAlert,
    target: KpiTarget,
    launch: Launch,
    check: ScheduledCheck,
    routes: Routes,
    now: datetime,
) -> list[OutboxEntry]:
    """Step the target's state machine with this check; the notices become outbox entries."""
    if alert.last_due_at is not None and check.due_at <= alert.last_due_at:
        check.detail = "superseded: a later check of this target was evaluated first"
        return []
    previous = alert.status
    result = step(
        am.memory_of(alert),
        Outcome(check.outcome or Outcome.ERROR),
        am.policy_of(target),
        check.due_at,
        final=check.final,
        muted=am.is_muted(target, now),
    )
    am.store_memory(alert, result.memory, now)
    alert.last_due_at, alert.last_outcome, alert.last_value = (
        check.due_at,
        check.outcome,
        check.value,
    )
    check.status_after = result.memory.status.value
    check.events = [f"{n.event.value}:{n.n}" for n in result.notices] + [
        f"{n.event.value}:{n.n}:muted" for n in result.muted
    ]
    payload = am.kpi_payload(target, launch, check, previous, result.memory)
    return [e for notice in result.notices for e in routes.entries(target, notice, payload)]


def _locked_alerts(session: Session, target_ids: list[int], now: datetime) -> dict[int, KpiAlert]:
    """The alert rows of the batch, locked in id order (no deadlock between two batches)."""
    missing = [{"target_id": target_id, "updated_at": now} for target_id in target_ids]
    insert_new(session, KpiAlert, missing, ("target_id",))
    query = select(KpiAlert).where(KpiAlert.target_id.in_(target_ids)).order_by(KpiAlert.target_id)
    return {alert.target_id: alert for alert in session.scalars(query.with_for_update())}
