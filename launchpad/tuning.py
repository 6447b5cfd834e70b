"""Timings of background work (ticks, leases, retries, timeouts) from LAUNCHPAD_* variables.

The defaults are the production ones; the fault tests shrink them through the same
environment so real worker and cron processes run the same code in seconds.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, fields
from datetime import timedelta

from launchpad.config import PREFIX, ConfigError


@dataclass(frozen=True, slots=True)
class Tuning:
    tick_seconds: int = 0  # 0: each tick's own interval; N: every tick every N seconds
    check_lease_seconds: float = 120.0
    check_batch_size: int = 500
    horizon_hours: float = 168.0  # how far ahead checks are materialised
    delivery_lease_seconds: float = 60.0
    connect_timeout: float = 3.0
    read_timeout: float = 10.0
    retry_base_seconds: float = 30.0
    retry_cap_seconds: float = 6 * 3600.0
    delivery_max_attempts: int = 10
    source_lease_seconds: float = 60.0
    sql_timeout_seconds: float = 5.0
    response_cap_bytes: int = 1024 * 1024

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Tuning:
        """Read LAUNCHPAD_<FIELD> (upper case) for each field; blank means the default."""
        env = os.environ if environ is None else environ
        values: dict[str, float | int] = {}
        for field in fields(cls):
            name = PREFIX + field.name.upper()
            raw = env.get(name, "").strip()
            if raw:
                values[field.name] = _number(name, raw, int if field.type == "int" else float)
        return cls(**values)  # type: ignore[arg-type]

    @property
    def check_lease(self) -> timedelta:
        return timedelta(seconds=self.check_lease_seconds)

    @property
    def delivery_lease(self) -> timedelta:
        return timedelta(seconds=self.delivery_lease_seconds)

    @property
    def horizon(self) -> timedelta:
        return timedelta(hours=self.horizon_hours)


def _number(name: str, raw: str, kind: type[int] | type[float]) -> float | int:
    try:
        value = kind(raw)
    except ValueError:
        raise ConfigError(f"{name}={raw!r} must be a {kind.__name__}") from None
    if value < 0:
        raise ConfigError(f"{name}={raw!r} must not be negative")
    return value
