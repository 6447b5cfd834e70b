"""Outbound launch events for subscribed webhooks, written in the caller's transaction.

A webhook destination lists the event types it wants (`Destination.events`); one with no
list is a KPI-alert destination from before launch events and hears none of these. Keys
are deterministic (`launch.created-42`, `task.completed-7-3`), so a retried request or a
replayed job writes each event once per destination.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, or_, select, true
from sqlalchemy.orm import Session

from launchpad.models import Destination, Launch
from launchpad.services.outbox import publish_event

LAUNCH_EVENTS = (
    "launch.created",
    "launch.rescheduled",
    "launch.status_changed",
    "task.completed",
    "task.overdue",
    "gate.signed_off",
)
KPI_ALERTS = "kpi.*"  # subscribing to this routes the KPI alerts too
SUBSCRIBABLE = (*LAUNCH_EVENTS, KPI_ALERTS)
PING = "webhook.ping"


def subscribers(session: Session, event_type: str, launch_id: int | None) -> list[Destination]:
    """Enabled webhooks of the organisation or of the launch that listen to `event_type`."""
    scope: ColumnElement[bool] = Destination.launch_id.is_(None)
    if launch_id is not None:
        scope = or_(scope, Destination.launch_id == launch_id)
    return _listening(session, event_type, scope)


def all_subscribers(session: Session, event_type: str) -> list[Destination]:
    """Every enabled webhook listening to `event_type`, whatever launch it is scoped to."""
    return _listening(session, event_type, true())


def _listening(session: Session, event_type: str, scope: ColumnElement[bool]) -> list[Destination]:
    query = select(Destination).where(
        scope,
        Destination.user_id.is_(None),
        Destination.enabled,
        Destination.kind == "webhook",
        Destination.events.is_not(None),
    )
    # The event list is JSON, filtered here rather than with dialect-specific operators.
    return [
        destination
        for destination in session.scalars(query.order_by(Destination.id))
        if event_type in (destination.events or ())
    ]


def emit(
    session: Session,
    event_type: str,
    launch_id: int | None,
    payload: dict[str, Any],
    key: str,
    now: datetime,
) -> int:
    """Queue the event for its subscribers; return how many rows were new. Flushes only."""
    destinations = subscribers(session, event_type, launch_id)
    if not destinations:
        return 0
    return publish_event(
        session,
        key=key,
        event_type=event_type,
        payload=payload,
        destinations=destinations,
        now=now,
    )


def launch_summary(launch: Launch) -> dict[str, Any]:
    """The few fields every launch event carries."""
    return {
        "id": launch.id,
        "name": launch.name,
        "launch_date": launch.launch_date.isoformat(),
        "status": launch.status,
    }
