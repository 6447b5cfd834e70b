"""The reaper: work whose lease ran out (a killed worker, a flushed Redis) becomes due again.

Nothing is ever lost between the database and Redis: a claimed row either finishes under
its lease or comes back here, and its next job has a new id.
"""

from __future__ import annotations

import logging

from launchpad.db import session_scope
from launchpad.services.check_claims import reap_expired_checks
from launchpad.services.delivery_claims import reap_expired_deliveries
from launchpad.services.measurement_sources import reap_expired_sources
from workflows.context import JobContext, current

log = logging.getLogger(__name__)


def reap_stale() -> dict[str, int]:
    """The cron tick."""
    return reap(current())


def reap(ctx: JobContext) -> dict[str, int]:
    """Return expired leases of checks, deliveries and source pulls; report the counts."""
    reaped = {}
    for name, reaper in (
        ("checks", reap_expired_checks),
        ("deliveries", reap_expired_deliveries),
        ("sources", reap_expired_sources),
    ):
        with session_scope(ctx.sessions) as session:
            reaped[name] = reaper(session, ctx.now())
    if any(reaped.values()):
        log.warning("returned expired leases: %s", reaped)
    return reaped
