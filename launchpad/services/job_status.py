"""The figures of `launchpad jobs status` (and, later, the readiness endpoint).

`lag_seconds` is how long the oldest check that is ready (due + grace) has waited without
being evaluated: the one number that says whether the background jobs keep up.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from launchpad.models import ScheduledCheck
from launchpad.services.check_claims import oldest_waiting_ready_at
from launchpad.services.delivery_claims import count_by_status


def jobs_status(session: Session, queues: dict[str, int] | None, now: datetime) -> dict[str, Any]:
    """`queues` comes from Redis (None when it is not reachable); the rest from the database."""
    grouped = select(ScheduledCheck.status, func.count()).group_by(ScheduledCheck.status)
    checks = {status: int(count) for status, count in session.execute(grouped)}
    oldest = oldest_waiting_ready_at(session, now)
    outbox = count_by_status(session)
    return {
        "queues": queues,
        "evaluated": int(checks.get("done", 0)),
        "lag_seconds": round((now - oldest).total_seconds(), 1) if oldest else 0.0,
        "failed_deliveries": outbox.get("failed", 0),
        "checks": {
            status: int(checks.get(status, 0)) for status in ("scheduled", "enqueued", "done")
        },
        "outbox": {s: outbox.get(s, 0) for s in ("pending", "sending", "delivered", "failed")},
    }
