"""Figures about background work that operators watch: check lag, outbox, deliveries.

Read at scrape time by ``/metrics`` (the database is the source of truth, so the figures
agree whichever web process answers). Each query is an aggregate over an indexed column;
none loads rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from sqlalchemy.sql import Executable

from launchpad.models import DeliveryAttempt, OutboxMessage, ScheduledCheck

_OPEN_CHECK = ("scheduled", "enqueued")


@dataclass(frozen=True, slots=True)
class OpsStats:
    """A snapshot; counts are keyed by status, outcome or verdict."""

    check_lag_seconds: float  # age of the oldest check ready but not evaluated (0: none)
    checks_waiting: dict[str, int] = field(default_factory=dict)  # ready, by status
    check_outcomes: dict[str, int] = field(default_factory=dict)  # evaluated, by outcome
    outbox: dict[str, int] = field(default_factory=dict)  # messages, by status
    outbox_lag_seconds: float = 0.0  # age of the oldest pending message that is due
    deliveries: dict[str, int] = field(default_factory=dict)  # attempts, by verdict


def ops_stats(session: Session, now: datetime) -> OpsStats:
    """The current figures; raises SQLAlchemyError if the tables are not reachable."""
    oldest_check = session.scalar(
        select(func.min(ScheduledCheck.ready_at)).where(
            ScheduledCheck.status.in_(_OPEN_CHECK), ScheduledCheck.ready_at <= now
        )
    )
    oldest_message = session.scalar(
        select(func.min(OutboxMessage.next_attempt_at)).where(
            OutboxMessage.status == "pending", OutboxMessage.next_attempt_at <= now
        )
    )
    return OpsStats(
        check_lag_seconds=_age(oldest_check, now),
        checks_waiting=_counts(
            session,
            select(ScheduledCheck.status, func.count())
            .where(ScheduledCheck.status.in_(_OPEN_CHECK), ScheduledCheck.ready_at <= now)
            .group_by(ScheduledCheck.status),
        ),
        check_outcomes=_counts(
            session,
            select(ScheduledCheck.outcome, func.count())
            .where(ScheduledCheck.outcome.is_not(None))
            .group_by(ScheduledCheck.outcome),
        ),
        outbox=_counts(
            session, select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)
        ),
        outbox_lag_seconds=_age(oldest_message, now),
        deliveries=_counts(
            session,
            select(DeliveryAttempt.verdict, func.count()).group_by(DeliveryAttempt.verdict),
        ),
    )


def _age(moment: datetime | None, now: datetime) -> float:
    return max((now - moment).total_seconds(), 0.0) if moment is not None else 0.0


def _counts(session: Session, query: Executable) -> dict[str, int]:
    return {str(row[0]): int(row[1]) for row in session.execute(query)}
