"""The transactional outbox: notifications written in the transaction that caused them.

Generic on purpose (an event type, a JSON payload, a destination), so KPI alerts, task
digests and the API's outbound events (`launch.created`, `task.completed`...) share one
reliable delivery path. The idempotency key is unique: writing the same event twice (a
retried job, a replayed request) leaves one row, so each notification is recorded once.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.orm import Session

from launchpad.models import Destination, OutboxMessage
from launchpad.services.bulk import insert_new


@dataclass(frozen=True, slots=True)
class OutboxEntry:
    key: str  # the full idempotency key, unique across the outbox
    destination_id: int
    event_type: str
    payload: dict[str, Any]


def write_outbox(session: Session, entries: Iterable[OutboxEntry], now: datetime) -> int:
    """Add the entries not yet in the outbox; return how many were new. Flushes only."""
    rows = [
        {
            "idempotency_key": e.key,
            "destination_id": e.destination_id,
            "event_type": e.event_type,
            "payload": e.payload,
            "status": "pending",
            "attempts": 0,
            "next_attempt_at": now,
            "created_at": now,
        }
        for e in entries
    ]
    return insert_new(session, OutboxMessage, rows, ("idempotency_key",))


def publish_event(
    session: Session,
    *,
    key: str,
    event_type: str,
    payload: dict[str, Any],
    destinations: Sequence[Destination],
    now: datetime,
) -> int:
    """One event to several destinations; each row's key is `<key>-<destination id>`.

    `key` names the event itself (e.g. `launch.created-42`), so publishing it again in a
    retried request adds nothing.
    """
    return write_outbox(
        session,
        (OutboxEntry(f"{key}-{d.id}", d.id, event_type, payload) for d in destinations),
        now,
    )


def event_destinations(
    session: Session,
    launch_id: int | None,
    *,
    audience: str = "business",
    kinds: Sequence[str] = ("webhook", "slack", "email", "in_app"),
) -> list[Destination]:
    """Enabled destinations of a launch and of the organisation (not personal ones)."""
    scope: ColumnElement[bool] = Destination.launch_id.is_(None)
    if launch_id is not None:
        scope = or_(scope, Destination.launch_id == launch_id)
    query = select(Destination).where(
        scope,
        Destination.user_id.is_(None),
        Destination.enabled,
        Destination.audience == audience,
        Destination.kind.in_(kinds),
    )
    return list(session.scalars(query.order_by(Destination.id)))
