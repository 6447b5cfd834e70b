"""The delivery log for admins: a destination's messages and their attempts, the failed
deliveries across destinations, and retrying one by hand."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, select
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
    attempts = attempts_of(session, [message.id for message, _ in rows])
    return [
        FailedDelivery(message, destination, attempts[message.id]) for message, destination in rows
    ]


@dataclass(frozen=True, slots=True)
class DeliveryLogPage:
    """One page of a destination's messages, newest first, each with its attempts."""

    entries: list[tuple[OutboxMessage, list[DeliveryAttempt]]]
    page: int
    has_more: bool


def destination_log(
    session: Session, destination_id: int, page: int, per_page: int = 50
) -> DeliveryLogPage:
    """Everything sent (or being sent) to one destination; one row more tells if there is more."""
    query = messages_to(destination_id).limit(per_page + 1).offset((max(page, 1) - 1) * per_page)
    messages = list(session.scalars(query))
    shown = messages[:per_page]
    attempts = attempts_of(session, [message.id for message in shown])
    entries = [(message, attempts[message.id]) for message in shown]
    return DeliveryLogPage(entries, max(page, 1), len(messages) > per_page)


def messages_to(destination_id: int) -> Select[OutboxMessage]:
    """A destination's messages, newest first."""
    return (
        select(OutboxMessage)
        .where(OutboxMessage.destination_id == destination_id)
        .order_by(OutboxMessage.id.desc())
    )


def attempts_of(session: Session, message_ids: Sequence[int]) -> dict[int, list[DeliveryAttempt]]:
    """Each message's attempts, oldest first (one query for a page of messages)."""
    found: dict[int, list[DeliveryAttempt]] = {message_id: [] for message_id in message_ids}
    query = select(DeliveryAttempt).where(DeliveryAttempt.message_id.in_(message_ids))
    for attempt in session.scalars(query.order_by(DeliveryAttempt.id)):
        found[attempt.message_id].append(attempt)
    return found


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
