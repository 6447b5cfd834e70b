"""KPI check instants: local times in the launch's zone, stored in UTC, across DST."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta

import pytest

from launchpad.planning.kpi_schedule import KpiSchedule, resolve_schedule
from launchpad.planning.offsets import OffsetError
from launchpad.planning.workdays import WorkCalendar

CALENDAR = WorkCalendar()


def schedule(
    at: str | None = None,
    every: str | None = None,
    start: str | None = None,
    until: str | None = None,
    *,
    day: date = date(2027, 3, 2),
    zone: str = "Europe/Berlin",
) -> KpiSchedule:
    resolved = resolve_schedule(
        at, every, start, until, launch_day=day, zone_name=zone, calendar=CALENDAR
    )
    assert resolved is not None
    return resolved


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)  # type: ignore[misc]


def test_a_one_shot_check_is_at_nine_local_without_rolling_to_a_workday() -> None:
    plan = schedule(at="+5d")  # 2027-03-07 is a Sunday
    assert list(plan.instants()) == [utc(2027, 3, 7, 8, 0)]
    assert plan.first == plan.last


def test_an_offset_with_a_time_uses_it() -> None:
    assert list(schedule(at="+1d 17:30").instants()) == [utc(2027, 3, 3, 16, 30)]


def test_business_day_offsets_skip_the_weekend() -> None:
    assert schedule(at="+3bd").first == utc(2027, 3, 5, 8, 0)
    assert schedule(at="+4bd").first == utc(2027, 3, 8, 8, 0)


def test_daily_checks_keep_their_local_time_across_the_spring_change() -> None:
    plan = schedule(every="1d", start="+24d", until="+28d")  # 2027-03-28 is the change
    hours = [instant.hour for instant in plan.instants()]
    assert hours == [8, 8, 7, 7, 7]
    assert plan.last == utc(2027, 3, 30, 7, 0)


def test_daily_checks_keep_their_local_time_across_the_autumn_change() -> None:
    plan = schedule(every="1d", start="0d", until="+2d", day=date(2027, 10, 30))
    assert [i.hour for i in plan.instants()] == [7, 8, 8]


def test_hourly_checks_step_in_real_hours_through_a_dst_gap() -> None:
    plan = schedule(every="1h", start="+26d 00:00", until="+26d 04:00")
    instants = list(plan.instants())
    assert all(b - a == timedelta(hours=1) for a, b in itertools.pairwise(instants))
    assert len(instants) == 4  # 00:00, 01:00, 03:00, 04:00 local: 02:00 never happened


def test_new_york_checks_are_stored_in_utc() -> None:
    plan = schedule(at="0d 09:00", zone="America/New_York", day=date(2027, 7, 1))
    assert plan.first == utc(2027, 7, 1, 13, 0)


def test_instants_after_and_until_bound_the_window() -> None:
    plan = schedule(every="1d", start="+1d", until="+30d")
    after = utc(2027, 3, 10, 8, 0)
    window = list(plan.instants(after=after, until=utc(2027, 3, 13, 0, 0)))
    assert window == [utc(2027, 3, 11, 8, 0), utc(2027, 3, 12, 8, 0)]


def test_hourly_after_skips_ahead_without_walking() -> None:
    plan = schedule(every="2h", start="+1d 00:00", until="+30d")
    after = utc(2027, 3, 20, 5, 0)
    assert next(plan.instants(after=after)) == utc(2027, 3, 20, 5, 0) + timedelta(hours=2)


def test_weekly_checks_end_on_the_last_instant_within_until() -> None:
    plan = schedule(every="1w", start="+7d", until="+8w")
    instants = list(plan.instants())
    assert len(instants) == 8 and plan.last == instants[-1]


def test_a_target_without_a_schedule_has_no_instants() -> None:
    assert (
        resolve_schedule(
            None, None, None, None, launch_day=date(2027, 3, 2), zone_name="UTC", calendar=CALENDAR
        )
        is None
    )


def test_bad_offset_text_is_reported() -> None:
    with pytest.raises(OffsetError):
        schedule(at="next week")
