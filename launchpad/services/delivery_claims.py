"""Claiming outbox messages for delivery under a lease, and reaping expired leases.

A message is claimed (`sending`, a token, a lease, attempt + 1) and committed before a job
touches the network. A worker killed mid-delivery leaves it `sending`; when the lease
expires the reaper makes it `pending` again and it is delivered again with the same
idempotency key: at least once, and recorded once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from launchpad.models import Destination, OutboxMessage
from launchpad.services.leases import begin_write, claim_token


@dataclass(frozen=True, slots=True)
class DeliveryClaim:
    message_id: int
    token: str
    attempt: int


def claim_due_messages(
    session: Session, now: datetime, lease: timedelta, limit: int
) -> list[DeliveryClaim]:
    """Claim pending messages whose time has come, for enabled destinations."""
    begin_write(session)
    due = (
        select(OutboxMessage.id, OutboxMessage.attempts)
        .join(Destination, Destination.id == OutboxMessage.destination_id)
        .where(
            OutboxMessage.status == "pending",
            OutboxMessage.next_attempt_at <= now,
            Destination.enabled,
        )
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
        .limit(limit)
        .with_for_update(of=OutboxMessage, skip_locked=True)
    )
    claims = []
    for message_id, attempts in session.execute(due).all():
        token = claim_token(message_id, attempts + 1, now)
        claims.append(DeliveryClaim(message_id, token, attempts + 1))
        session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == message_id)
            .values(status="sending", claim=token, lease_until=now + lease, attempts=attempts + 1)
            .execution_options(synchronize_session=False)
        )
    return claims


def reap_expired_deliveries(session: Session, now: datetime) -> int:
    """`sending` messages whose lease ran out go back to `pending`, due now."""
    begin_write(session)
    result = session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.status == "sending", OutboxMessage.lease_until < now)
        .values(
            status="pending",
            claim=None,
            lease_until=None,
            next_attempt_at=now,
            last_error="the delivery's lease expired (worker lost); delivering again",
        )
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)


def count_by_status(session: Session) -> dict[str, int]:
    query = select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)
    return {status: int(count) for status, count in session.execute(query)}
