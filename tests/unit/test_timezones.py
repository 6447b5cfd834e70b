"""Local times to UTC, with DST gaps and overlaps resolved one documented way."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest

from launchpad.planning.timezones import TimeZoneError, local_to_utc, zone


@pytest.mark.parametrize(
    ("zone_name", "day", "at", "expected_utc"),
    [
        # America/New_York, ordinary days.
        ("America/New_York", date(2027, 1, 15), time(9, 0), datetime(2027, 1, 15, 14, 0)),
        ("America/New_York", date(2027, 7, 15), time(9, 0), datetime(2027, 7, 15, 13, 0)),
        # Spring forward 2027-03-14: 02:30 does not exist; it means 03:30 EDT.
        ("America/New_York", date(2027, 3, 14), time(2, 30), datetime(2027, 3, 14, 7, 30)),
        ("America/New_York", date(2027, 3, 14), time(3, 30), datetime(2027, 3, 14, 7, 30)),
        ("America/New_York", date(2027, 3, 14), time(1, 59), datetime(2027, 3, 14, 6, 59)),
        # Fall back 2027-11-07: 01:30 happens twice; the first (EDT) one counts.
        ("America/New_York", date(2027, 11, 7), time(1, 30), datetime(2027, 11, 7, 5, 30)),
        ("America/New_York", date(2027, 11, 7), time(0, 30), datetime(2027, 11, 7, 4, 30)),
        ("America/New_York", date(2027, 11, 7), time(2, 30), datetime(2027, 11, 7, 7, 30)),
        # Europe/Berlin: spring forward 2027-03-28, fall back 2027-10-31.
        ("Europe/Berlin", date(2027, 3, 28), time(2, 30), datetime(2027, 3, 28, 1, 30)),
        ("Europe/Berlin", date(2027, 3, 28), time(3, 30), datetime(2027, 3, 28, 1, 30)),
        ("Europe/Berlin", date(2027, 10, 31), time(2, 30), datetime(2027, 10, 31, 0, 30)),
        ("Europe/Berlin", date(2027, 10, 31), time(3, 30), datetime(2027, 10, 31, 2, 30)),
        ("Europe/Berlin", date(2027, 1, 4), time(17, 0), datetime(2027, 1, 4, 16, 0)),
        ("UTC", date(2027, 3, 14), time(2, 30), datetime(2027, 3, 14, 2, 30)),
        ("Asia/Kolkata", date(2027, 1, 4), time(9, 0), datetime(2027, 1, 4, 3, 30)),
    ],
)
def test_local_to_utc(zone_name: str, day: date, at: time, expected_utc: datetime) -> None:
    result = local_to_utc(day, at, zone_name)
    assert result == expected_utc.replace(tzinfo=UTC)
    assert result.tzinfo is UTC


@pytest.mark.parametrize(
    "name",
    [
        "Mars/Olympus_Mons",
        "Europe/Berln",
        "utc",
        "",
        " Europe/Berlin",
        "Europe/Berlin ",
        "../etc/passwd",
        "Europe/../UTC",
        "/etc/localtime",
        "America",  # a folder of the database, not a zone
        "zone1970.tab",
    ],
)
def test_unknown_zones_raise_time_zone_error_with_an_example(name: str) -> None:
    with pytest.raises(TimeZoneError) as caught:
        zone(name)
    message = str(caught.value)
    assert f"'{name}'" in message
    assert "IANA name like Europe/Berlin" in message


def test_local_to_utc_rejects_an_unknown_zone() -> None:
    with pytest.raises(TimeZoneError, match="unknown time zone 'Nowhere/City'"):
        local_to_utc(date(2027, 1, 4), time(9, 0), "Nowhere/City")


def test_time_zone_error_is_a_value_error() -> None:
    assert issubclass(TimeZoneError, ValueError)


def test_zone_returns_the_named_zone() -> None:
    assert zone("Europe/Berlin").key == "Europe/Berlin"
