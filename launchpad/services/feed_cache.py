"""Keeping rendered events, and the bookkeeping a fetch leaves behind on its token.

Both are best-effort writes made after the response is decided: losing one only means
an event is rendered again or a "last used" time is a little old.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, update
from sqlalchemy.dialects import postgresql, sqlite

from launchpad.ical import clean
from launchpad.models import FeedToken, TaskEvent

LAST_USED_RESOLUTION = timedelta(minutes=10)  # hourly polls still show; bursts write once
MAX_CLIENT = 200


@dataclass(frozen=True, slots=True)
class TokenState:
    """What a fetch saw on its token, so bookkeeping can run after the read has ended."""

    id: int
    etag: str | None
    last_used_at: datetime | None
    last_client: str | None

    @classmethod
    def of(cls, token: FeedToken) -> TokenState:
        return cls(token.id, token.etag, token.last_used_at, token.last_client)


def store_events(
    connection: Connection,
    variant: str,
    renderer: str,
    rendered: Mapping[int, tuple[bytes, int, int]],
) -> None:
    """Upsert rendered events; an older rendering never replaces a newer one."""
    if not rendered:
        return
    rows = [
        {
            "task_id": task_id,
            "variant": variant,
            "task_version": task_version,
            "launch_version": launch_version,
            "renderer": renderer,
            "body": body,
        }
        for task_id, (body, task_version, launch_version) in sorted(rendered.items())
    ]
    dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
    insert = dialect.insert(TaskEvent)
    excluded: Any = insert.excluded
    statement = insert.on_conflict_do_update(
        index_elements=[TaskEvent.task_id, TaskEvent.variant],
        set_={
            "task_version": excluded.task_version,
            "launch_version": excluded.launch_version,
            "renderer": excluded.renderer,
            "body": excluded.body,
        },
        where=TaskEvent.task_version <= excluded.task_version,
    )
    connection.execute(statement, rows)


def record_fetch(
    connection: Connection,
    token: TokenState,
    etag: str,
    etag_changed_at: datetime,
    client: str,
    now: datetime,
) -> None:
    """Remember the served ETag (when it first appeared) and, coarsely, who polled when."""
    values = token_changes(token, etag, etag_changed_at, client, now)
    if values:
        connection.execute(update(FeedToken).where(FeedToken.id == token.id).values(**values))


def token_changes(
    token: TokenState, etag: str, etag_changed_at: datetime, client: str, now: datetime
) -> dict[str, Any]:
    """The token columns a fetch changes; usually none, so most polls write nothing."""
    values: dict[str, Any] = {}
    if token.etag != etag:
        values.update(etag=etag, etag_changed_at=etag_changed_at)
    agent = clean(client, one_line=True)[:MAX_CLIENT] or None
    stale = token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION
    if stale or agent != token.last_client:
        values.update(last_used_at=now, last_client=agent)
    return values
