"""Recording measurements: pushed (API, CLI, typed in), imported or pulled.

Each value keeps its source, when it was observed and when it arrived. An idempotency key,
unique per launch, makes a replayed push a no-op; without one, the key is derived from the
value itself, so the same fact pushed twice is stored once. Values may arrive out of
order: evaluation always asks for the latest value observed at or before a due instant.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from launchpad.models import Launch, Measurement, User
from launchpad.models.measurements import MEASUREMENT_SOURCES
from launchpad.services.bulk import insert_ignoring_conflicts
from launchpad.services.errors import InvalidInput, NotFound, ServiceError

METRIC_RE = re.compile(r"^[a-z][a-z0-9_.]{0,99}$")
MAX_CLOCK_SKEW = timedelta(minutes=5)


class IdempotencyConflict(ServiceError):
    """The key was used before for a different value (HTTP 409 / 422 material)."""


@dataclass(frozen=True, slots=True)
class NewMeasurement:
    metric: str
    value: float
    observed_at: datetime | None = None  # None: "now"
    idempotency_key: str | None = None


@dataclass(frozen=True, slots=True)
class Recorded:
    measurement: Measurement
    created: bool  # False: a replay that changed nothing


def record_measurement(
    session: Session,
    launch_id: int,
    item: NewMeasurement,
    *,
    source: str,
    now: datetime,
    actor: User | None = None,
    source_id: int | None = None,
) -> Recorded:
    """Store one value (or recognise a replay); flushes, the caller commits."""
    if session.get(Launch, launch_id) is None:
        raise NotFound("launch", launch_id)
    row = _row(launch_id, item, source, now, actor, source_id)
    statement = insert_ignoring_conflicts(session, Measurement, ("launch_id", "idempotency_key"))
    new_id = session.scalar(statement.values(row).returning(Measurement.id))
    stored = session.scalar(
        select(Measurement).where(
            Measurement.launch_id == launch_id,
            Measurement.idempotency_key == row["idempotency_key"],
        )
    )
    assert stored is not None
    if new_id is None and not _same(stored, item, row):
        raise IdempotencyConflict(
            f"idempotency key {row['idempotency_key']!r} was already used for another value"
        )
    return Recorded(stored, new_id is not None)


def record_measurements(
    session: Session,
    launch_id: int,
    items: Sequence[NewMeasurement],
    *,
    source: str,
    now: datetime,
    actor: User | None = None,
) -> list[Recorded]:
    """A batch, all or nothing: every item is checked before any is stored."""
    problems: dict[str, str] = {}
    for index, item in enumerate(items):
        try:
            check_measurement(item, now)
        except InvalidInput as error:
            problems.update({f"[{index}].{k}": v for k, v in error.problems.items()})
    if problems:
        raise InvalidInput(problems)
    return [
        record_measurement(session, launch_id, item, source=source, now=now, actor=actor)
        for item in items
    ]


def check_measurement(item: NewMeasurement, now: datetime) -> None:
    """Every problem with one value at once."""
    problems = {}
    if not METRIC_RE.match(item.metric):
        problems["metric"] = "use a metric name like signups or pipeline.sourced_usd"
    if isinstance(item.value, bool) or not math.isfinite(item.value):
        problems["value"] = "give a finite number"
    if item.observed_at is not None and item.observed_at.tzinfo is None:
        problems["observed_at"] = "give a time with its UTC offset"
    elif item.observed_at is not None and item.observed_at > now + MAX_CLOCK_SKEW:
        problems["observed_at"] = "is in the future"
    key = item.idempotency_key
    if key is not None and not (0 < len(key) <= 200 and key.isprintable()):
        problems["idempotency_key"] = "use 1 to 200 printable characters"
    if problems:
        raise InvalidInput(problems)


def _row(
    launch_id: int,
    item: NewMeasurement,
    source: str,
    now: datetime,
    actor: User | None,
    source_id: int | None,
) -> dict[str, object]:
    check_measurement(item, now)
    if source not in MEASUREMENT_SOURCES:
        raise InvalidInput({"source": f"use one of {', '.join(MEASUREMENT_SOURCES)}"})
    observed = item.observed_at or now
    value = float(item.value)
    key = item.idempotency_key or f"auto:{item.metric}:{observed.isoformat()}:{value!r}"
    return {
        "launch_id": launch_id,
        "metric": item.metric,
        "value": value,
        "observed_at": observed,
        "received_at": now,
        "source": source,
        "idempotency_key": key,
        "source_id": source_id,
        "recorded_by_id": actor.id if actor else None,
    }


def _same(stored: Measurement, item: NewMeasurement, row: dict[str, object]) -> bool:
    """A replay carries the same metric and value (and time, when it named one)."""
    same_time = item.observed_at is None or stored.observed_at == row["observed_at"]
    return same_time and (stored.metric, stored.value) == (row["metric"], row["value"])
