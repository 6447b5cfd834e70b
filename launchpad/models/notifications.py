"""Where notifications go, the outbox that carries them and the log of delivery attempts.

Generic on purpose: an outbox message is an event type, a JSON payload and a destination,
so KPI alerts, task digests and the API's outbound events share one reliable path.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from launchpad.db import Base, UtcDateTime

DESTINATION_KINDS = ("email", "webhook", "slack", "in_app")
AUDIENCES = ("business", "ops")
MESSAGE_STATUSES = ("pending", "sending", "delivered", "failed")


class Destination(Base):
    """An email list, signed webhook, Slack-compatible webhook or in-app inbox.

    Scope: a launch (`launch_id`), the organisation (neither id) or one person
    (`user_id`, for their own digests). `allow_private` is an admin's allowance to reach
    private, loopback or link-local addresses.
    """

    __tablename__ = "destinations"
    __table_args__ = (
        CheckConstraint(f"kind IN {DESTINATION_KINDS!r}", name="kind_known"),
        CheckConstraint(f"audience IN {AUDIENCES!r}", name="audience_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    launch_id: Mapped[int | None] = mapped_column(
        ForeignKey("launches.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(10))
    name: Mapped[str] = mapped_column(String(200))
    address: Mapped[str] = mapped_column(String(1000), default="")
    secret_ciphertext: Mapped[str | None] = mapped_column(Text)
    audience: Mapped[str] = mapped_column(String(10), default="business")
    allow_private: Mapped[bool] = mapped_column(default=False)
    enabled: Mapped[bool] = mapped_column(default=True)
    disabled_reason: Mapped[str | None] = mapped_column(String(300))
    # Launch event types this webhook subscribes to; None: KPI alerts only (as before)
    events: Mapped[list[str] | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())


class OutboxMessage(Base):
    """One notification for one destination, written in the transaction that caused it."""

    __tablename__ = "outbox_messages"
    __table_args__ = (
        Index("ix_outbox_messages_due", "status", "next_attempt_at"),
        CheckConstraint(f"status IN {MESSAGE_STATUSES!r}", name="status_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    idempotency_key: Mapped[str] = mapped_column(String(200), unique=True)
    destination_id: Mapped[int] = mapped_column(
        ForeignKey("destinations.id", ondelete="CASCADE"), index=True
    )
    event_type: Mapped[str] = mapped_column(String(64))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(10), default="pending")
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UtcDateTime())
    claim: Mapped[str | None] = mapped_column(String(64))
    lease_until: Mapped[datetime | None] = mapped_column(UtcDateTime())
    last_status_code: Mapped[int | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    delivered_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


class DeliveryAttempt(Base):
    """The delivery log: one row per attempt that came back (a killed one leaves none)."""

    __tablename__ = "delivery_attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(
        ForeignKey("outbox_messages.id", ondelete="CASCADE"), index=True
    )
    attempt: Mapped[int]
    started_at: Mapped[datetime] = mapped_column(UtcDateTime())
    finished_at: Mapped[datetime] = mapped_column(UtcDateTime())
    verdict: Mapped[str] = mapped_column(String(10))
    status_code: Mapped[int | None]
    error: Mapped[str | None] = mapped_column(Text)
