"""A person's in-app notifications: the list, the unread count, marking as read."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from launchpad.models import Notification


def unread_count(session: Session, user_id: int) -> int:
    """The number on the bell; one indexed count."""
    query = select(func.count()).where(
        Notification.user_id == user_id, Notification.read_at.is_(None)
    )
    return int(session.scalar(query) or 0)


def list_notifications(
    session: Session,
    user_id: int,
    *,
    limit: int = 50,
    before_id: int | None = None,
    unread_only: bool = False,
) -> list[Notification]:
    """Newest first; page with `before_id` (the last id of the previous page)."""
    query = select(Notification).where(Notification.user_id == user_id)
    if before_id is not None:
        query = query.where(Notification.id < before_id)
    if unread_only:
        query = query.where(Notification.read_at.is_(None))
    return list(session.scalars(query.order_by(Notification.id.desc()).limit(min(limit, 200))))


def mark_read(
    session: Session, user_id: int, now: datetime, ids: Sequence[int] | None = None
) -> int:
    """Mark some (or, with `ids=None`, all) of the person's notifications read."""
    statement = update(Notification).where(
        Notification.user_id == user_id, Notification.read_at.is_(None)
    )
    if ids is not None:
        statement = statement.where(Notification.id.in_(list(ids)))
    result = session.execute(
        statement.values(read_at=now).execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)
