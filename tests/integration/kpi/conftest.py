"""Factories for the KPI tests: targets with their own schedules, destinations, values."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import redis
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from launchpad.config import Settings
from launchpad.db import make_session_factory
from launchpad.models import KpiTarget, Launch, OutboxMessage, ScheduledCheck
from launchpad.services.check_schedule import add_check
from launchpad.services.destinations import NewDestination, create_destination
from launchpad.services.measurements import NewMeasurement, record_measurement
from launchpad.tuning import Tuning
from workflows.context import JobContext

SECRET_KEY = "test-secret-key-0123456789"
T0 = datetime(2027, 3, 9, 8, 0, tzinfo=UTC)  # a Tuesday, after the Comet launch (2027-03-02)

MakeTarget = Callable[..., KpiTarget]
Push = Callable[..., None]


@pytest.fixture
def launch(make_launch: Callable[..., Launch]) -> Launch:
    return make_launch()


@pytest.fixture
def make_target(session: Session, launch: Launch) -> MakeTarget:
    """A target with explicit checks at `due` instants (the last one final, unless told)."""
    counter = iter(range(1, 10_000))

    def factory(*due: datetime, final: bool = True, **values: Any) -> KpiTarget:
        number = next(counter)
        fields: dict[str, Any] = {
            "launch_id": launch.id,
            "key": f"t{number}",
            "name": f"Target {number}",
            "metric": "signups",
            "comparator": ">=",
            "threshold": 100.0,
            "unit": "users",
            "role": "pm",
            "created_at": T0,
            "grace_seconds": 0,
        }
        fields.update(values)
        target = KpiTarget(**fields)
        session.add(target)
        session.flush()
        for index, instant in enumerate(due):
            add_check(session, target, instant, final=final and index == len(due) - 1)
        session.commit()
        return target

    return factory


@pytest.fixture
def push(session: Session, launch: Launch) -> Push:
    def record(
        value: float,
        at: datetime,
        metric: str = "signups",
        received: datetime | None = None,
        key: str | None = None,
    ) -> None:
        item = NewMeasurement(metric, value, at, key)
        record_measurement(session, launch.id, item, source="api", now=received or at)
        session.commit()

    return record


@pytest.fixture
def in_app(session: Session, launch: Launch) -> int:
    destination, _ = create_destination(
        session,
        NewDestination("in_app", "Owners", launch_id=launch.id),
        secret_key=SECRET_KEY,
        now=T0,
    )
    session.commit()
    return destination.id


@pytest.fixture
def ops(session: Session) -> int:
    new = NewDestination("email", "Ops", "ops@example.com", audience="ops")
    destination, _ = create_destination(session, new, secret_key=SECRET_KEY, now=T0)
    session.commit()
    return destination.id


class Kpi:
    """Read-back helpers; each commits first, so a new snapshot shows other sessions' writes."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def checks(self, target: KpiTarget) -> list[ScheduledCheck]:
        self.session.commit()
        query = select(ScheduledCheck).where(ScheduledCheck.target_id == target.id)
        return list(self.session.scalars(query.order_by(ScheduledCheck.due_at)))

    def outbox(self) -> list[OutboxMessage]:
        self.session.commit()
        return list(self.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))

    def outbox_keys(self) -> list[str]:
        return [message.idempotency_key for message in self.outbox()]


@pytest.fixture
def kpi(session: Session) -> Kpi:
    return Kpi(session)


class Clock:
    """A clock the test moves by hand; jobs read it through their context."""

    def __init__(self, start: datetime) -> None:
        self.current = start

    def __call__(self) -> datetime:
        return self.current

    def advance(self, seconds: float) -> None:
        self.current += timedelta(seconds=seconds)


FAST = Tuning(
    connect_timeout=0.5,
    read_timeout=0.5,
    retry_base_seconds=1.0,
    retry_cap_seconds=8.0,
    delivery_max_attempts=5,
    check_lease_seconds=5.0,
    delivery_lease_seconds=5.0,
    check_batch_size=50,
)


@pytest.fixture
def clock() -> Clock:
    return Clock(datetime.now(UTC).replace(microsecond=0))


@pytest.fixture
def ctx(engine: Engine, settings: Settings, redis_conn: redis.Redis, clock: Clock) -> JobContext:
    """What a job would run with, on the test database, with short timings and our clock."""
    test_settings = replace(settings, secret_key=SECRET_KEY)
    return JobContext(make_session_factory(engine), test_settings, FAST, redis_conn, clock)
