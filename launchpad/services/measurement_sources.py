"""Pulled measurement sources (HTTP JSON, SQL), configured per KPI target or per metric.

The configuration names stored secrets instead of holding credentials. A due source is
claimed under a lease, pulled outside any transaction by a job, and its value (or its
error, which turns a check without data into ERROR for ops) recorded afterwards.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from launchpad.models import KpiTarget, Launch, MeasurementSource
from launchpad.outbound.addresses import AddressRefused, check_url
from launchpad.planning.json_path import JsonPathError, parse_path
from launchpad.services.errors import InvalidInput
from launchpad.services.leases import begin_write
from launchpad.services.measurements import METRIC_RE, NewMeasurement, record_measurement
from launchpad.services.secrets import reveal_secret

MIN_INTERVAL_SECONDS = 10


@dataclass(frozen=True, slots=True)
class NewSource:
    launch_id: int
    metric: str
    kind: str  # http: url, path, headers {name: secret}; sql: secret (the DSN), query
    config: dict[str, Any]
    target_id: int | None = None
    interval_seconds: int = 300


@dataclass(frozen=True, slots=True)
class Pull:
    """What a job needs to pull one source, secrets resolved (never stored elsewhere)."""

    source_id: int
    kind: str
    config: dict[str, Any]
    headers: dict[str, str] = field(default_factory=dict)
    dsn: str | None = None


def create_source(session: Session, new: NewSource, now: datetime) -> MeasurementSource:
    _check(session, new)
    source = MeasurementSource(
        launch_id=new.launch_id,
        metric=new.metric,
        target_id=new.target_id,
        kind=new.kind,
        config=dict(new.config),
        interval_seconds=new.interval_seconds,
        enabled=True,
        next_run_at=now,
        created_at=now,
    )
    session.add(source)
    session.flush()
    return source


def claim_due_sources(session: Session, now: datetime, lease: timedelta, limit: int) -> list[int]:
    begin_write(session)
    query = (
        select(MeasurementSource.id)
        .where(
            MeasurementSource.enabled,
            MeasurementSource.next_run_at <= now,
            or_(MeasurementSource.lease_until.is_(None), MeasurementSource.lease_until < now),
        )
        .order_by(MeasurementSource.next_run_at)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    ids = list(session.scalars(query))
    if ids:
        session.execute(
            update(MeasurementSource)
            .where(MeasurementSource.id.in_(ids))
            .values(lease_until=now + lease)
            .execution_options(synchronize_session=False)
        )
    return ids


def prepare_pull(session: Session, source_id: int, secret_key: str) -> Pull:
    source = session.get_one(MeasurementSource, source_id)
    config = dict(source.config)
    headers = {
        name: reveal_secret(session, secret, secret_key)
        for name, secret in config.get("headers", {}).items()
    }
    dsn = reveal_secret(session, config["secret"], secret_key) if source.kind == "sql" else None
    return Pull(source.id, source.kind, config, headers, dsn)


def record_pull(
    session: Session, source_id: int, now: datetime, value: float | None, error: str | None
) -> None:
    """Store the value as a measurement (or the error) and schedule the next pull."""
    source = session.get_one(MeasurementSource, source_id)
    source.lease_until, source.last_run_at = None, now
    source.next_run_at = now + timedelta(seconds=source.interval_seconds)
    source.last_error = error[:2000] if error else None
    if value is not None:
        source.last_success_at = now
        item = NewMeasurement(
            source.metric, value, now, f"{source.kind}-{source.id}-{now.isoformat()}"
        )
        record_measurement(
            session, source.launch_id, item, source=source.kind, now=now, source_id=source.id
        )
    session.flush()


def reap_expired_sources(session: Session, now: datetime) -> int:
    begin_write(session)
    result = session.execute(
        update(MeasurementSource)
        .where(MeasurementSource.lease_until < now)
        .values(lease_until=None)
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)


def _check(session: Session, new: NewSource) -> None:
    problems: dict[str, str] = {}
    if session.get(Launch, new.launch_id) is None:
        problems["launch_id"] = f"launch {new.launch_id} not found"
    if not METRIC_RE.match(new.metric):
        problems["metric"] = "use a metric name like signups"
    target = session.get(KpiTarget, new.target_id) if new.target_id is not None else None
    if new.target_id is not None and (target is None or target.launch_id != new.launch_id):
        problems["target_id"] = "give a KPI target of this launch"
    if new.interval_seconds < MIN_INTERVAL_SECONDS:
        problems["interval_seconds"] = f"pull at most every {MIN_INTERVAL_SECONDS} seconds"
    problems.update(_config_problems(new.kind, new.config))
    if problems:
        raise InvalidInput(problems)


def _config_problems(kind: str, config: dict[str, Any]) -> dict[str, str]:
    if kind == "sql":
        query = str(config.get("query", "")).lstrip().lower()
        ok = config.get("secret") and query.startswith(("select", "with"))
        return (
            {} if ok else {"config": "give `secret` (the connection string) and a SELECT `query`"}
        )
    if kind != "http":
        return {"kind": "use http or sql"}
    try:
        check_url(str(config.get("url", "")), allow_private=bool(config.get("allow_private")))
        parse_path(str(config.get("path", "")))
    except (AddressRefused, JsonPathError) as error:
        return {"config": str(error)}
    if not isinstance(config.get("headers", {}), dict):
        return {"config": "`headers` maps header names to stored secret names"}
    return {}
