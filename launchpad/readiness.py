"""What ``/readyz`` checks: database, Redis, migrations current, cron heartbeat recent.

Liveness (``/healthz``) says the process serves; readiness says it can do its job, so a
load balancer stops sending traffic during a database outage and an operator sees which
dependency is missing. Each check is bounded by a short timeout and never raises.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from functools import cache

import redis
from sqlalchemy import inspect, text
from sqlalchemy.exc import SQLAlchemyError

from launchpad.extensions import LaunchpadState
from launchpad.migrate import head_revision
from launchpad.observability.redis_probe import heartbeat_age

VERSION_TABLE = "alembic_version"  # where Alembic records the applied revision(s)


@dataclass(frozen=True, slots=True)
class Check:
    ok: bool
    detail: str
    ms: float = 0.0


@dataclass(frozen=True, slots=True)
class Report:
    checks: dict[str, Check]

    @property
    def ready(self) -> bool:
        return all(check.ok for check in self.checks.values())

    def body(self) -> dict[str, object]:
        failing = sorted(name for name, check in self.checks.items() if not check.ok)
        return {
            "status": "ready" if self.ready else "unavailable",
            "checks": {name: asdict(check) for name, check in self.checks.items()},
            "failing": failing,
        }


@cache
def expected_revision() -> str | None:
    """The scripts' head(s); read once, since the scripts do not change under a process."""
    return head_revision()


def readiness(state: LaunchpadState, client: redis.Redis) -> Report:
    """Run every check; the database answers both the connection and the revision check."""
    database, current = _database(state)
    migrations = (
        _migrations(current) if database.ok else Check(False, "unknown: database unreachable")
    )
    return Report(
        {
            "database": database,
            "migrations": migrations,
            "redis": _timed(lambda: _redis(client)),
            "cron": _timed(lambda: _cron(client, state.settings.heartbeat_max_age)),
        }
    )


def _database(state: LaunchpadState) -> tuple[Check, str | None]:
    """Reachable, and at which revision(s) (read from Alembic's table, as Alembic does)."""
    started = time.perf_counter()
    try:
        with state.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
            heads: list[str] = []
            if inspect(connection).has_table(VERSION_TABLE):
                heads = list(connection.scalars(text(f"SELECT version_num FROM {VERSION_TABLE}")))
    except SQLAlchemyError as error:
        return Check(False, f"unreachable ({type(error).__name__})", _ms(started)), None
    return Check(True, "reachable", _ms(started)), ",".join(sorted(heads)) or None


def _migrations(current: str | None) -> Check:
    expected = expected_revision()
    if current == expected:
        return Check(True, f"at {current}")
    return Check(False, f"database at {current or 'no revision'}, code expects {expected}")


def _redis(client: redis.Redis) -> Check:
    client.ping()
    return Check(True, "reachable")


def _cron(client: redis.Redis, max_age: int) -> Check:
    age = heartbeat_age(client, datetime.now(UTC))
    if age is None:
        return Check(False, "no heartbeat yet: is `launchpad cron` (and a worker) running?")
    if age > max_age:
        return Check(False, f"last heartbeat {age:.0f}s ago (limit {max_age}s)")
    return Check(True, f"last heartbeat {age:.0f}s ago")


def _timed(check: Callable[[], Check]) -> Check:
    started = time.perf_counter()
    try:
        result = check()
    except (redis.RedisError, OSError, ValueError) as error:
        result = Check(False, f"unreachable ({type(error).__name__})")
    return Check(result.ok, result.detail, _ms(started))


def _ms(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 1)
