"""The audit log as people read it: events with the names of who and what they touch."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from launchpad.models import AuditEvent, Task, Team, User

PERSON_KEYS = frozenset({"user_id", "assignee_id", "person_id"})


@dataclass(frozen=True, slots=True)
class Names:
    """Display names for the people, tasks and teams a list of events mentions."""

    people: dict[int, str]
    tasks: dict[int, str]
    teams: dict[str, str]


@dataclass(frozen=True, slots=True)
class Entry:
    action: str
    entity: str
    entity_id: int | None
    actor_id: int | None
    before: Mapping[str, Any]
    after: Mapping[str, Any]
    at: datetime


def launch_activity(session: Session, launch_id: int, limit: int = 50) -> list[Entry]:
    """The newest `limit` events of a launch, newest first."""
    events = session.scalars(
        select(AuditEvent)
        .where(AuditEvent.launch_id == launch_id)
        .order_by(AuditEvent.id.desc())
        .limit(limit)
    )
    return [_entry(event) for event in events]


def entity_history(session: Session, entity: str, entity_id: int, limit: int = 50) -> list[Entry]:
    events = session.scalars(
        select(AuditEvent)
        .where(AuditEvent.entity == entity, AuditEvent.entity_id == entity_id)
        .order_by(AuditEvent.id.desc())
        .limit(limit)
    )
    return [_entry(event) for event in events]


def entries_from_changes(changes: Iterable[Mapping[str, Any]]) -> list[Entry]:
    """StaleEdit.changes as entries, newest first."""
    return [
        Entry(
            c["action"],
            c["entity"],
            c.get("entity_id"),
            c.get("actor_id"),
            c.get("before") or {},
            c.get("after") or {},
            datetime.fromisoformat(c["at"]),
        )
        for c in reversed(list(changes))
    ]


def names_for(session: Session, entries: Iterable[Entry]) -> Names:
    """Three small queries, whatever the number of entries."""
    entries = list(entries)
    people = {e.actor_id for e in entries if e.actor_id}
    people |= {v for e in entries for v in _person_ids(e.before) + _person_ids(e.after)}
    tasks = {e.entity_id for e in entries if e.entity == "task" and e.entity_id}
    return Names(
        _pairs(session, select(User.id, User.name).where(User.id.in_(people))),
        _pairs(session, select(Task.id, Task.title).where(Task.id.in_(tasks))),
        _pairs(session, select(Team.key, Team.name)),
    )


def _pairs(session: Session, statement: Select[Any, str]) -> dict[Any, str]:
    return {key: value for key, value in session.execute(statement)}


def _person_ids(values: Mapping[str, Any]) -> list[int]:
    return [v for k, v in values.items() if k in PERSON_KEYS and isinstance(v, int)]


def _entry(event: AuditEvent) -> Entry:
    return Entry(
        event.action,
        event.entity,
        event.entity_id,
        event.actor_id,
        event.before or {},
        event.after or {},
        event.at,
    )
