"""The demo's KPI alert: a target checked a minute after seeding, with values that miss it.

`make run` seeds and starts at once, so about a minute after start-up the check runs, the
target fires, and the alert reaches the in-app inbox of its owners (the admin created the
launch) and a local webhook receiver (`launchpad dev-receiver`, port 8765).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from launchpad.models import KpiTarget, Launch
from launchpad.services.check_schedule import add_check
from launchpad.services.destinations import NewDestination, create_destination
from launchpad.services.measurements import NewMeasurement, record_measurement

RECEIVER_URL = "http://127.0.0.1:8765/hooks/launchpad"
CHECK_AFTER = timedelta(minutes=1)
_VALUES = (
    (timedelta(minutes=50), 120.0),
    (timedelta(minutes=20), 380.0),
    (timedelta(minutes=1), 410.0),
)


def seed_demo_alerts(session: Session, launch: Launch, secret_key: str, now: datetime) -> KpiTarget:
    """Target, first check, measurements and destinations of the demo launch."""
    target = KpiTarget(
        launch_id=launch.id,
        key="demo-signups",
        name="Sign-ups in the first hour (demo)",
        metric="demo.signups",
        comparator=">=",
        threshold=1000.0,
        unit="users",
        role="pmm",
        grace_seconds=5,
        repeat_interval_seconds=3600,
        created_at=now,
    )
    session.add(target)
    session.flush()
    add_check(session, target, now + CHECK_AFTER, final=False)
    for ago, value in _VALUES:
        item = NewMeasurement("demo.signups", value, now - ago, f"demo-{int(value)}")
        record_measurement(session, launch.id, item, source="demo", now=now)
    destinations = (
        NewDestination("in_app", "Owners' inboxes", launch_id=launch.id),
        NewDestination(
            "webhook",
            "Local receiver (launchpad dev-receiver)",
            RECEIVER_URL,
            launch_id=launch.id,
            allow_private=True,
        ),
    )
    for new in destinations:
        create_destination(session, new, secret_key=secret_key, now=now)
    return target
