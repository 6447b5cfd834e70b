"""Working days of a launch: weekdays worked and public holidays from `holidays`."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from launchpad.planning.workdays import (
    CalendarError,
    WorkCalendar,
    check_holiday_code,
    parse_workdays,
    work_calendar,
)

PLAIN = WorkCalendar()
US = work_calendar("US", date(2026, 11, 1))
THANKSGIVING = date(2026, 11, 26)


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2026, 11, 25), True),  # Wednesday
        (THANKSGIVING, False),
        (date(2026, 11, 27), True),  # the Friday after is not a federal holiday
        (date(2026, 11, 28), False),  # Saturday
        (date(2026, 11, 29), False),  # Sunday
        (date(2027, 1, 1), False),
        (date(2027, 12, 31), False),  # New Year's Day 2028 (a Saturday), observed
    ],
)
def test_us_calendar_knows_weekends_and_federal_holidays(day: date, working: bool) -> None:
    assert US.is_working(day) is working


def test_holiday_names_come_from_the_holidays_package() -> None:
    assert US.holiday_name(THANKSGIVING) == "Thanksgiving Day"
    assert US.holiday_name(date(2026, 11, 25)) is None


def test_a_calendar_without_a_code_has_no_holidays() -> None:
    calendar = work_calendar(None, date(2026, 12, 1))
    assert calendar.is_working(date(2026, 12, 25))
    assert calendar.holidays == frozenset()
    assert work_calendar("", date(2026, 12, 1)).holidays == frozenset()


def test_holidays_cover_two_years_either_side_of_the_launch() -> None:
    calendar = work_calendar("US", date(2027, 6, 1))
    assert not calendar.is_working(date(2025, 1, 1))
    assert not calendar.is_working(date(2029, 12, 25))
    assert calendar.is_working(date(2024, 12, 25))  # outside the window


def test_subdivision_holidays_differ_from_the_country() -> None:
    epiphany = date(2027, 1, 6)
    assert not work_calendar("DE-BY", epiphany).is_working(epiphany)
    assert work_calendar("DE", epiphany).is_working(epiphany)


@pytest.mark.parametrize(
    ("day", "direction", "expected"),
    [
        (date(2026, 11, 26), "earlier", date(2026, 11, 25)),
        (date(2026, 11, 26), "later", date(2026, 11, 27)),
        (date(2026, 11, 28), "earlier", date(2026, 11, 27)),
        (date(2026, 11, 28), "later", date(2026, 11, 30)),
        (date(2026, 11, 28), "none", date(2026, 11, 28)),
        (date(2026, 11, 25), "earlier", date(2026, 11, 25)),  # a working day stays
    ],
)
def test_roll_moves_to_the_nearest_working_day(day: date, direction: str, expected: date) -> None:
    assert US.roll(day, direction) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("start", "count", "expected"),
    [
        (date(2026, 11, 25), 1, date(2026, 11, 27)),
        (date(2026, 11, 25), 2, date(2026, 11, 30)),
        (date(2026, 11, 30), -2, date(2026, 11, 25)),
        (date(2026, 11, 28), 1, date(2026, 11, 30)),  # from a Saturday
        (date(2026, 11, 28), -1, date(2026, 11, 27)),
        (date(2026, 12, 31), 1, date(2027, 1, 4)),
    ],
)
def test_add_working_days_does_not_count_the_start(start: date, count: int, expected: date) -> None:
    assert US.add_working_days(start, count) == expected


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (date(2026, 11, 23), date(2026, 11, 23), 0),
        (date(2026, 11, 27), date(2026, 11, 30), 1),  # Friday to Monday
        (date(2026, 11, 23), date(2026, 11, 30), 4),  # Tue, Wed, Fri, Mon (Thanksgiving off)
        (date(2026, 11, 30), date(2026, 11, 23), -4),
        (date(2026, 11, 28), date(2026, 11, 29), 0),  # a weekend
    ],
)
def test_working_days_between_counts_the_half_open_interval(
    start: date, end: date, expected: int
) -> None:
    assert US.working_days_between(start, end) == expected


def test_custom_workdays_change_the_weekend() -> None:
    calendar = WorkCalendar(workdays=parse_workdays(["sun", "mon", "tue", "wed", "thu"]))
    friday, saturday, sunday = date(2027, 3, 5), date(2027, 3, 6), date(2027, 3, 7)
    assert not calendar.is_working(friday)
    assert calendar.is_working(sunday)
    assert calendar.roll(saturday, "earlier") == date(2027, 3, 4)
    assert calendar.roll(friday, "later") == sunday


def test_parse_workdays_maps_names_to_weekday_numbers() -> None:
    assert parse_workdays(["mon", "wed", "sun"]) == frozenset({0, 2, 6})


def test_parse_workdays_rejects_unknown_names_and_lists_the_valid_ones() -> None:
    with pytest.raises(CalendarError, match="unknown weekday monday, Fri; use mon, tue"):
        parse_workdays(["monday", "Fri", "tue"])


def test_parse_workdays_needs_at_least_one_day() -> None:
    with pytest.raises(CalendarError, match="at least one working day"):
        parse_workdays([])


@pytest.mark.parametrize("code", ["US", "GB", "DE", "DE-BY", "US-CA"])
def test_known_holiday_codes_pass(code: str) -> None:
    check_holiday_code(code)


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("XX", "unknown holiday calendar 'XX'"),
        ("us", "unknown holiday calendar 'us'"),
        ("DE-ZZ", "'DE' has no subdivision 'ZZ'"),
    ],
)
def test_unknown_holiday_codes_raise_calendar_error(code: str, message: str) -> None:
    with pytest.raises(CalendarError, match=message):
        check_holiday_code(code)
    with pytest.raises(CalendarError):
        work_calendar(code, date(2027, 1, 1))


@settings(max_examples=300, deadline=None)
@given(
    start=st.dates(date(2024, 6, 1), date(2028, 6, 1)),
    span=st.integers(-400, 400),
    workdays=st.frozensets(st.integers(0, 6), min_size=1),
)
def test_working_days_between_matches_counting_day_by_day(
    start: date, span: int, workdays: frozenset[int]
) -> None:
    calendar = WorkCalendar(workdays, US.holidays)
    end = start + timedelta(days=span)
    low, high = min(start, end), max(start, end)
    by_hand = sum(
        1 for n in range(1, (high - low).days + 1) if calendar.is_working(low + timedelta(n))
    )
    assert calendar.working_days_between(start, end) == (by_hand if end >= start else -by_hand)
