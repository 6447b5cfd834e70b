"""Daily task digests: at 09:00 in each person's time zone, through the outbox."""

from __future__ import annotations

from launchpad.db import session_scope
from launchpad.services.digests import plan_digests
from workflows.context import JobContext, current


def send_digests() -> int:
    """The cron tick."""
    return digests(current())


def digests(ctx: JobContext) -> int:
    """Write today's digests that are due (each person once a day); return how many."""
    with session_scope(ctx.sessions) as session:
        return plan_digests(session, ctx.now())
