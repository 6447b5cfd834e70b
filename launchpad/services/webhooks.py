"""Webhook endpoints subscribed to launch events: register, change, remove, log, ping.

Callers check `webhook.manage` (admins). Built on the destination services: a webhook is a
`webhook` destination with an event list; its `whsec_` secret is shown once, at creation.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from launchpad.models import Destination, OutboxMessage
from launchpad.services.destinations import NewDestination, create_destination, set_enabled
from launchpad.services.errors import InvalidInput, NotFound
from launchpad.services.launch_events import PING, SUBSCRIBABLE
from launchpad.services.outbox import publish_event


def check_events(events: Sequence[str]) -> list[str]:
    """The events, deduplicated in order; at least one, each a known type."""
    unknown = [event for event in events if event not in SUBSCRIBABLE]
    if unknown:
        known = ", ".join(SUBSCRIBABLE)
        raise InvalidInput({"events": f"unknown event types {', '.join(unknown)}; use {known}"})
    if not events:
        raise InvalidInput({"events": "subscribe to at least one event type"})
    return list(dict.fromkeys(events))


def create_webhook(
    session: Session,
    *,
    url: str,
    events: Sequence[str],
    launch_id: int | None,
    description: str,
    allow_private: bool,
    secret_key: str,
    now: datetime,
) -> tuple[Destination, str]:
    """The new endpoint and its signing secret (shown this once)."""
    wanted = check_events(events)
    name = description.strip() or "Webhook"
    new = NewDestination("webhook", name, url, launch_id=launch_id, allow_private=allow_private)
    destination, secret = create_destination(session, new, secret_key=secret_key, now=now)
    destination.events = wanted
    session.flush()
    assert secret is not None
    return destination, secret


def webhooks_query() -> Select[Any]:
    """Every organisation or launch webhook (KPI-only ones have no event list)."""
    return (
        select(Destination)
        .where(Destination.kind == "webhook", Destination.user_id.is_(None))
        .order_by(Destination.id)
    )


def get_webhook(session: Session, webhook_id: int) -> Destination:
    destination = session.get(Destination, webhook_id)
    if destination is None or destination.kind != "webhook" or destination.user_id is not None:
        raise NotFound("webhook", webhook_id)
    return destination


def update_webhook(
    session: Session, webhook_id: int, changes: dict[str, Any], now: datetime
) -> Destination:
    """Change the event list and/or turn the endpoint on or off."""
    destination = get_webhook(session, webhook_id)
    if "events" in changes:
        destination.events = check_events(changes["events"])
        destination.updated_at = now
    if "enabled" in changes:
        set_enabled(session, webhook_id, bool(changes["enabled"]), now)
    session.flush()
    return destination


def delete_webhook(session: Session, webhook_id: int) -> None:
    """Remove the endpoint with its queued messages and their log (cascade)."""
    session.delete(get_webhook(session, webhook_id))
    session.flush()


def ping(session: Session, webhook_id: int, now: datetime) -> OutboxMessage:
    """Queue a `webhook.ping` for this endpoint only; delivered like any other event."""
    destination = get_webhook(session, webhook_id)
    key = f"{PING}-{destination.id}-{now.strftime('%Y%m%dT%H%M%S%f')}"
    payload = {"webhook_id": destination.id, "sent_at": now.isoformat()}
    publish_event(
        session, key=key, event_type=PING, payload=payload, destinations=[destination], now=now
    )
    message = session.scalar(
        select(OutboxMessage).where(OutboxMessage.idempotency_key == f"{key}-{destination.id}")
    )
    assert message is not None
    return message
