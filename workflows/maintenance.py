"""Housekeeping jobs on the ``maintenance`` queue."""

from __future__ import annotations

from datetime import UTC, datetime

import redis
from rq import get_current_job

from workflows import runtime

HEARTBEAT_KEY = "launchpad:cron:heartbeat"


def heartbeat() -> str:
    """Record that the cron and a worker are alive; ``launchpad jobs status`` reads it."""
    stamp = datetime.now(UTC).isoformat(timespec="seconds")
    _connection().set(HEARTBEAT_KEY, stamp)
    return stamp


def _connection() -> redis.Redis:
    job = get_current_job()
    return job.connection if job is not None else runtime.redis_client()
