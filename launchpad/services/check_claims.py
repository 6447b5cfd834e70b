"""Sweeping due checks into claims, and the reaper that returns expired leases.

A sweep marks due rows `enqueued` with a lease and commits before anything reaches Redis;
if the broker loses the job (flush, restart, a killed worker) the lease runs out and the
reaper makes the rows due again. Evaluation itself refuses rows already `done`, so a job
that runs twice changes nothing the second time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from launchpad.models import ScheduledCheck
from launchpad.services.leases import begin_write, claim_token


@dataclass(frozen=True, slots=True)
class Claim:
    token: str
    ids: list[int]  # ordered by target and due instant, so a chunk keeps a target's order

    def chunks(self, size: int) -> list[list[int]]:
        return [self.ids[i : i + size] for i in range(0, len(self.ids), max(size, 1))]


def claim_due_checks(session: Session, now: datetime, lease: timedelta, limit: int) -> Claim | None:
    """Claim up to `limit` checks whose ready instant passed; the caller commits."""
    begin_write(session)
    due = (
        select(ScheduledCheck.id, ScheduledCheck.target_id, ScheduledCheck.due_at)
        .where(ScheduledCheck.status == "scheduled", ScheduledCheck.ready_at <= now)
        .order_by(ScheduledCheck.ready_at, ScheduledCheck.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    rows = sorted(session.execute(due).all(), key=lambda row: (row.target_id, row.due_at))
    if not rows:
        return None
    ids = [row.id for row in rows]
    token = claim_token(ids[0], len(ids), now)
    session.execute(
        update(ScheduledCheck)
        .where(ScheduledCheck.id.in_(ids))
        .values(
            status="enqueued",
            claim=token,
            lease_until=now + lease,
            attempts=ScheduledCheck.attempts + 1,
        )
        .execution_options(synchronize_session=False)
    )
    return Claim(token, ids)


def reap_expired_checks(session: Session, now: datetime) -> int:
    """Return checks whose lease ran out to `scheduled`; the caller commits."""
    begin_write(session)
    result = session.execute(
        update(ScheduledCheck)
        .where(ScheduledCheck.status == "enqueued", ScheduledCheck.lease_until < now)
        .values(status="scheduled", claim=None, lease_until=None)
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)


def oldest_waiting_ready_at(session: Session, now: datetime) -> datetime | None:
    """When the oldest check that is ready but not evaluated became ready (the lag)."""
    return session.scalar(
        select(ScheduledCheck.ready_at)
        .where(ScheduledCheck.status != "done", ScheduledCheck.ready_at <= now)
        .order_by(ScheduledCheck.ready_at)
        .limit(1)
    )
