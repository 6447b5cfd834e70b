"""Task reminders through the outbox: daily digests at 09:00 in each person's time zone,
and `task.overdue` events for subscribed webhooks."""

from __future__ import annotations

from launchpad.db import session_scope
from launchpad.services.digests import plan_digests
from launchpad.services.overdue_events import announce_overdue
from workflows.context import JobContext, current


def send_digests() -> int:
    """The cron tick."""
    return digests(current())


def digests(ctx: JobContext) -> int:
    """Write today's digests that are due (each person once a day); return how many."""
    with session_scope(ctx.sessions) as session:
        return plan_digests(session, ctx.now())


def announce_overdue_tasks() -> int:
    """The cron tick."""
    return overdue_events(current())


def overdue_events(ctx: JobContext) -> int:
    """Queue `task.overdue` for tasks whose due day has just ended; return how many rows."""
    with session_scope(ctx.sessions) as session:
        return announce_overdue(session, ctx.now())
