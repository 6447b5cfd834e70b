"""What a job runs with: sessions, settings, tuning, Redis and a clock, in one value.

RQ calls jobs with ids only; each job builds its context from this process's runtime and
hands it to a plain function. Tests call those functions with a context of their own (a
test database, shrunken timings, a fixed clock) and run exactly the production code.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

import redis
from rq import get_current_job
from sqlalchemy.orm import Session, sessionmaker

from launchpad.config import Settings
from launchpad.tuning import Tuning
from workflows import runtime


def _utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class JobContext:
    sessions: sessionmaker[Session]
    settings: Settings
    tuning: Tuning
    connection: redis.Redis
    clock: Callable[[], datetime] = field(default=_utc_now)

    def now(self) -> datetime:
        return self.clock()


def current() -> JobContext:
    """The running job's context (its Redis connection is the one it came from)."""
    job = get_current_job()
    connection = job.connection if job is not None else runtime.redis_client()
    return JobContext(runtime.sessions(), runtime.settings(), runtime.tuning(), connection)
