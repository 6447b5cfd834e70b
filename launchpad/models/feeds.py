"""Calendar feed tokens and the cached iCalendar bytes of each task's event.

A token is a secret URL for one feed (a person's, a team's or a launch's tasks); only its
SHA-256 is stored, so a database leak does not leak subscriptions. Events are rendered
once per task change and kept here, because feeds are polled all day by every subscriber
and joining stored bytes is two orders of magnitude cheaper than rendering them again.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from launchpad.db import Base, UtcDateTime
from launchpad.models.people import User
from launchpad.models.tasks import PHASE_NAMES

SCOPE_KINDS = ("person", "team", "launch")


class FeedToken(Base):
    """One subscription URL; several may point at the same feed (one per device)."""

    __tablename__ = "feed_tokens"
    __table_args__ = (
        CheckConstraint(f"scope_kind IN {SCOPE_KINDS!r}", name="scope_kind_known"),
        CheckConstraint(f"phase IS NULL OR phase IN {PHASE_NAMES!r}", name="phase_known"),
        Index("ix_feed_tokens_scope", "scope_kind", "scope_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    scope_kind: Mapped[str] = mapped_column(String(10))
    scope_id: Mapped[int]
    phase: Mapped[str | None] = mapped_column(String(20))
    label: Mapped[str] = mapped_column(String(100), default="")
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    last_used_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    last_client: Mapped[str | None] = mapped_column(String(200))
    # The ETag last served and when it first appeared: the feed's Last-Modified, which
    # must move when a task leaves the feed (no row is left to carry a newer timestamp).
    etag: Mapped[str | None] = mapped_column(String(64))
    etag_changed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())

    owner: Mapped[User] = relationship()


class TaskEvent(Base):
    """A task's rendered VEVENT or VTODO for one scope kind (the UID names the scope).

    The bytes are valid while the task and its launch are at the recorded versions and
    the renderer key (format version and base URL) is unchanged; otherwise they are
    rendered again on the next fetch.
    """

    __tablename__ = "task_events"

    task_id: Mapped[int] = mapped_column(
        ForeignKey("tasks.id", ondelete="CASCADE"), primary_key=True
    )
    variant: Mapped[str] = mapped_column(String(20), primary_key=True)
    task_version: Mapped[int]
    launch_version: Mapped[int]
    renderer: Mapped[str] = mapped_column(String(16))
    body: Mapped[bytes] = mapped_column(LargeBinary)
