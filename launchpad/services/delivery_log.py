"""Failed deliveries for admins, each with its attempts, and retrying one by hand."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from launchpad.models import DeliveryAttempt, Destination, OutboxMessage
from launchpad.services.errors import InvalidInput, NotFound


@dataclass(frozen=True, slots=True)
class FailedDelivery:
    message: OutboxMessage
    destination: Destination
    attempts: list[DeliveryAttempt]


def failed_deliveries(session: Session, limit: int = 100) -> list[FailedDelivery]:
    """Newest first, with each message's attempts oldest first."""
    rows = session.execute(
        select(OutboxMessage, Destination)
        .join(Destination, Destination.id == OutboxMessage.destination_id)
        .where(OutboxMessage.status == "failed")
        .order_by(OutboxMessage.id.desc())
        .limit(limit)
    ).all()
    ids = [message.id for message, _ in rows]
    attempts: dict[int, list[DeliveryAttempt]] = {message_id: [] for message_id in ids}
    query = select(DeliveryAttempt).where(DeliveryAttempt.message_id.in_(ids))
    for attempt in session.scalars(query.order_by(DeliveryAttempt.id)):
        attempts[attempt.message_id].append(attempt)
    return [
        FailedDelivery(message, destination, attempts[message.id]) for message, destination in rows
    ]


def delivery_attempts(session: Session, message_id: int) -> list[DeliveryAttempt]:
    query = select(DeliveryAttempt).where(DeliveryAttempt.message_id == message_id)
    return list(session.scalars(query.order_by(DeliveryAttempt.id)))


def retry_delivery(session: Session, message_id: int, now: datetime) -> OutboxMessage:
    """Send a failed message again now, with a fresh set of attempts (admin action)."""
    message = session.get(OutboxMessage, message_id)
    if message is None:
        raise NotFound("delivery", message_id)
    if message.status != "failed":
        raise InvalidInput(
            {"status": f"only failed deliveries can be retried (this one is {message.status})"}
        )
    message.status, message.attempts, message.next_attempt_at = "pending", 0, now
    session.flush()
    return message
