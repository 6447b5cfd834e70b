"""Recording measurements: replays are no-ops, batches are all or nothing, CSV uploads."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from launchpad.models import Measurement
from launchpad.services.errors import InvalidInput, NotFound
from launchpad.services.measurement_import import import_csv
from launchpad.services.measurements import (
    IdempotencyConflict,
    NewMeasurement,
    record_measurement,
    record_measurements,
)

NOW = datetime(2027, 3, 9, 8, 0, tzinfo=UTC)


def count(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(Measurement)) or 0)


def test_a_replayed_key_is_a_no_op(session, launch):
    item = NewMeasurement("signups", 120, NOW - timedelta(hours=1), "push-1")
    first = record_measurement(session, launch.id, item, source="api", now=NOW)
    again = record_measurement(session, launch.id, item, source="api", now=NOW + timedelta(1))
    assert first.created and not again.created
    assert again.measurement.id == first.measurement.id
    assert again.measurement.received_at == NOW and count(session) == 1


def test_a_replay_without_a_time_is_still_the_same_push(session, launch):
    item = NewMeasurement("signups", 120, None, "push-2")
    record_measurement(session, launch.id, item, source="api", now=NOW)
    again = record_measurement(session, launch.id, item, source="api", now=NOW + timedelta(1))
    assert not again.created


def test_a_key_reused_for_another_value_is_refused(session, launch):
    record_measurement(
        session, launch.id, NewMeasurement("signups", 1, NOW, "k"), source="api", now=NOW
    )
    with pytest.raises(IdempotencyConflict):
        record_measurement(
            session, launch.id, NewMeasurement("signups", 2, NOW, "k"), source="api", now=NOW
        )


def test_without_a_key_the_same_fact_is_stored_once(session, launch):
    item = NewMeasurement("signups", 7, NOW)
    record_measurement(session, launch.id, item, source="cli", now=NOW)
    record_measurement(session, launch.id, item, source="cli", now=NOW)
    assert count(session) == 1


def test_values_keep_source_observed_and_received_times(session, launch):
    item = NewMeasurement("signups", 7, NOW - timedelta(days=2))
    stored = record_measurement(session, launch.id, item, source="manual", now=NOW).measurement
    assert (stored.source, stored.observed_at, stored.received_at) == (
        "manual",
        NOW - timedelta(days=2),
        NOW,
    )


@pytest.mark.parametrize(
    ("item", "field"),
    [
        (NewMeasurement("Sign ups", 1, NOW), "metric"),
        (NewMeasurement("signups", float("inf"), NOW), "value"),
        (NewMeasurement("signups", 1, NOW + timedelta(hours=1)), "observed_at"),
        (NewMeasurement("signups", 1, NOW, "x" * 201), "idempotency_key"),
    ],
)
def test_bad_values_are_refused(session, launch, item, field):
    with pytest.raises(InvalidInput) as raised:
        record_measurement(session, launch.id, item, source="api", now=NOW)
    assert field in raised.value.problems


def test_an_unknown_launch_is_not_found(session, launch):
    with pytest.raises(NotFound):
        record_measurement(session, launch.id + 99, NewMeasurement("x", 1), source="api", now=NOW)


def test_a_batch_is_all_or_nothing(session, launch):
    items = [NewMeasurement("signups", 1, NOW), NewMeasurement("signups", float("nan"), NOW)]
    with pytest.raises(InvalidInput) as raised:
        record_measurements(session, launch.id, items, source="api", now=NOW)
    assert "[1].value" in raised.value.problems and count(session) == 0


def test_csv_upload_and_its_replay(session, launch):
    text = (
        "metric,value,observed_at\n"
        "signups,10,2027-03-08T08:00:00Z\n"
        "signups,25,2027-03-07T08:00:00+01:00\n"
    )
    assert all(r.created for r in import_csv(session, launch.id, text, now=NOW))
    assert not any(r.created for r in import_csv(session, launch.id, text, now=NOW))
    assert count(session) == 2


def test_csv_problems_name_their_lines(session, launch):
    text = "metric,value,observed_at\nsignups,ten,2027-03-08T08:00:00Z\nsignups,1,yesterday\n"
    with pytest.raises(InvalidInput) as raised:
        import_csv(session, launch.id, text, now=NOW)
    assert set(raised.value.problems) == {"line 2", "line 3"} and count(session) == 0
