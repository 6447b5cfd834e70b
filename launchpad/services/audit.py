"""Writing the append-only audit log."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from launchpad.models import AuditEvent, Launch, User


def jsonable(values: dict[str, Any] | None) -> dict[str, Any] | None:
    """Dates and times as ISO text so the JSON column accepts them on every database."""
    if values is None:
        return None
    return {
        k: v.isoformat() if isinstance(v, date | time | datetime) else v for k, v in values.items()
    }


def record(
    session: Session,
    *,
    action: str,
    entity: str,
    entity_id: int | None,
    actor: User | None,
    now: datetime,
    launch: Launch | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> None:
    """Append one event; `launch_version` is the version the change produced."""
    session.add(
        AuditEvent(
            launch_id=launch.id if launch else None,
            launch_version=launch.version if launch else None,
            actor_id=actor.id if actor else None,
            action=action,
            entity=entity,
            entity_id=entity_id,
            before=jsonable(before),
            after=jsonable(after),
            at=now,
        )
    )


def record_many(session: Session, rows: list[dict[str, Any]]) -> None:
    """Bulk append (rescheduling a big launch writes one event per moved task)."""
    if rows:
        session.execute(insert(AuditEvent), rows)


def changes_since(session: Session, launch_id: int, version: int) -> list[dict[str, Any]]:
    """What happened to a launch after `version`, for a 409 that explains itself."""
    events = session.scalars(
        select(AuditEvent)
        .where(AuditEvent.launch_id == launch_id, AuditEvent.launch_version > version)
        .order_by(AuditEvent.id)
    )
    return [_event_dict(event) for event in events]


def recent_changes(
    session: Session, entity: str, entity_id: int, limit: int = 10
) -> list[dict[str, Any]]:
    """The latest events of one task (or other entity), newest last."""
    events = list(
        session.scalars(
            select(AuditEvent)
            .where(AuditEvent.entity == entity, AuditEvent.entity_id == entity_id)
            .order_by(AuditEvent.id.desc())
            .limit(limit)
        )
    )
    return [_event_dict(event) for event in reversed(events)]


def _event_dict(event: AuditEvent) -> dict[str, Any]:
    return {
        "action": event.action,
        "entity": event.entity,
        "entity_id": event.entity_id,
        "before": event.before,
        "after": event.after,
        "at": event.at.isoformat(),
        "actor_id": event.actor_id,
    }
