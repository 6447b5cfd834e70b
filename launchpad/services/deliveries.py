"""Recording what a delivery attempt achieved, and in-app delivery itself.

The network call happens outside any transaction; this module loads what the job needs
(only while its claim still holds) and records the answer under the same claim. A job
whose lease was reaped meanwhile logs its attempt but changes nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from launchpad.models import DeliveryAttempt, Destination, Notification, OutboxMessage, User
from launchpad.planning.delivery_policy import RetryPolicy, Verdict, classify, next_attempt_at
from launchpad.services.bulk import insert_new
from launchpad.services.secrets import unseal


@dataclass(frozen=True, slots=True)
class Delivery:
    """Everything a delivery job needs, detached from the session."""

    message_id: int
    token: str
    attempt: int
    key: str
    event_type: str
    payload: dict[str, Any]
    created_at: datetime
    kind: str
    address: str
    allow_private: bool
    secret: str | None
    destination_id: int


@dataclass(frozen=True, slots=True)
class AttemptResult:
    started_at: datetime
    status_code: int | None  # HTTP status, or an SMTP reply code; None: no answer at all
    error: str | None = None
    retry_after: timedelta | None = None
    permanent: bool = False  # no answer, and none will come (e.g. the SSRF guard refused)


def load_delivery(
    session: Session, message_id: int, token: str, secret_key: str
) -> Delivery | None:
    """The claimed message and its destination, or None if the claim no longer holds."""
    row = session.execute(
        select(OutboxMessage, Destination)
        .join(Destination, Destination.id == OutboxMessage.destination_id)
        .where(
            OutboxMessage.id == message_id,
            OutboxMessage.claim == token,
            OutboxMessage.status == "sending",
        )
    ).first()
    if row is None:
        return None
    message, destination = row
    secret = (
        unseal(destination.secret_ciphertext, secret_key) if destination.secret_ciphertext else None
    )
    return Delivery(
        message.id,
        token,
        message.attempts,
        message.idempotency_key,
        message.event_type,
        dict(message.payload),
        message.created_at,
        destination.kind,
        destination.address,
        destination.allow_private,
        secret,
        destination.id,
    )


def record_attempt(
    session: Session,
    delivery: Delivery,
    result: AttemptResult,
    policy: RetryPolicy,
    now: datetime,
    jitter: float,
) -> Verdict:
    """Log the attempt; if the claim still holds, settle or reschedule the message."""
    verdict = classify(result.status_code, delivery.attempt, policy)
    if result.permanent and verdict is Verdict.RETRY:
        verdict = Verdict.FAILED
    session.add(
        DeliveryAttempt(
            message_id=delivery.message_id,
            attempt=delivery.attempt,
            started_at=result.started_at,
            finished_at=now,
            verdict=verdict.value,
            status_code=result.status_code,
            error=result.error,
        )
    )
    message = session.get(OutboxMessage, delivery.message_id, with_for_update=True)
    if message is None or message.claim != delivery.token or message.status != "sending":
        return verdict
    message.claim, message.lease_until = None, None
    message.last_status_code, message.last_error = result.status_code, result.error
    if verdict is Verdict.DELIVERED:
        message.status, message.delivered_at = "delivered", now
    elif verdict is Verdict.RETRY:
        message.status = "pending"
        message.next_attempt_at = next_attempt_at(
            policy, delivery.attempt, now, jitter, result.retry_after
        )
    else:
        message.status = "failed"
    if verdict is Verdict.GONE:
        _disable(session, delivery.destination_id, now)
    session.flush()
    return verdict


def deliver_in_app(
    session: Session, delivery: Delivery, title: str, text: str, link: str, now: datetime
) -> int:
    """Put the notification in each recipient's inbox (once, however often this runs)."""
    recipients = _in_app_recipients(session, delivery)
    rows = [
        {
            "user_id": user_id,
            "message_id": delivery.message_id,
            "event_type": delivery.event_type,
            "title": title[:300],
            "body": text,
            "link": link[:500],
            "created_at": now,
        }
        for user_id in recipients
    ]
    return insert_new(session, Notification, rows, ("user_id", "message_id"))


def _in_app_recipients(session: Session, delivery: Delivery) -> list[int]:
    if delivery.address:
        user_id = session.scalar(select(User.id).where(User.email == delivery.address.lower()))
        return [user_id] if user_id is not None else []
    return [int(user_id) for user_id in delivery.payload.get("recipients", [])]


def _disable(session: Session, destination_id: int, now: datetime) -> None:
    destination = session.get(Destination, destination_id)
    if destination is not None and destination.enabled:
        destination.enabled = False
        destination.disabled_reason = f"the receiver answered 410 Gone at {now.isoformat()}"
        destination.updated_at = now
