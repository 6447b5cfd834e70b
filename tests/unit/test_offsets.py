"""Offsets and durations relative to launch day: parsing, rolls, business days."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest

from launchpad.planning.offsets import (
    Duration,
    Offset,
    OffsetError,
    Roll,
    parse_duration,
    parse_offset,
)
from launchpad.planning.workdays import WorkCalendar, work_calendar

PLAIN = WorkCalendar()  # Monday to Friday, no holidays
US = work_calendar("US", date(2026, 12, 1))

# A plain week in March 2027 (no US holidays): Fri 5, Sat 6, Sun 7, Mon 8, Tue 9.
FRI, SAT, SUN, MON, TUE = (date(2027, 3, d) for d in (5, 6, 7, 8, 9))


# --- parsing ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("0d", Offset(0, "d")),
        ("-30d", Offset(-30, "d")),
        ("+2w", Offset(2, "w")),
        ("2w", Offset(2, "w")),
        ("-10bd", Offset(-10, "bd")),
        ("-3bd 17:00", Offset(-3, "bd", time(17, 0))),
        ("0d 09:00", Offset(0, "d", time(9, 0))),
        ("+1d 7:05", Offset(1, "d", time(7, 5))),
        ("  -3bd   23:59 ", Offset(-3, "bd", time(23, 59))),
        ("-0d", Offset(0, "d")),
        ("+9999d", Offset(9999, "d")),
    ],
)
def test_parse_offset_accepts_the_documented_forms(text: str, expected: Offset) -> None:
    assert parse_offset(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "-5x",
        "10",
        10,
        "1.5d",
        "",
        "d",
        "- 3d",
        "+3D",
        "-3bd17:00",
        "-3bd 07:5",
        "-10000d",
        "-3d +2d",
        "yesterday",
    ],
)
def test_parse_offset_rejects_malformed_text(text: object) -> None:
    with pytest.raises(OffsetError, match="is not an offset"):
        parse_offset(text)


@pytest.mark.parametrize("text", ["+3d 25:00", "-3bd 24:00", "0d 12:60", "-1d 99:99"])
def test_parse_offset_rejects_times_that_are_not_times_of_day(text: str) -> None:
    with pytest.raises(OffsetError, match="is not a time of day"):
        parse_offset(text)


@pytest.mark.parametrize(
    ("value", "type_name"), [(True, "bool"), (False, "bool"), (None, "NoneType"), (1.5, "float")]
)
def test_parse_offset_rejects_non_text_values_naming_their_type(
    value: object, type_name: str
) -> None:
    with pytest.raises(OffsetError, match=f"must be text like -10bd, not {type_name}"):
        parse_offset(value)


def test_offset_error_message_quotes_the_bad_input() -> None:
    with pytest.raises(OffsetError) as caught:
        parse_offset("-5x")
    assert "'-5x'" in str(caught.value)


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("2w", "+2w"),
        ("+2w", "+2w"),
        ("-10bd", "-10bd"),
        ("-0d", "0d"),
        ("0d 9:00", "0d 09:00"),
        ("-3bd 17:00", "-3bd 17:00"),
    ],
)
def test_offset_text_is_canonical_and_parses_back(text: str, canonical: str) -> None:
    offset = parse_offset(text)
    assert str(offset) == canonical
    assert parse_offset(str(offset)) == offset


def test_approx_days_orders_offsets_of_different_units() -> None:
    offsets = [parse_offset(t) for t in ("+6bd", "-10bd", "0d", "-12d", "+1w")]
    ordered = sorted(offsets, key=lambda o: o.approx_days)
    assert [str(o) for o in ordered] == ["-10bd", "-12d", "0d", "+1w", "+6bd"]
    assert parse_offset("-10bd").approx_days == pytest.approx(-14.0)


# --- calendar days and weeks: rolling off non-working days ------------------------------


@pytest.mark.parametrize(
    ("offset", "launch_day", "expected"),
    [
        ("-1d", TUE, MON),  # lands on a working day: no roll
        ("-1d", MON, FRI),  # Sunday, before launch: rolls earlier
        ("-2d", MON, FRI),  # Saturday, before launch: rolls earlier
        ("+1d", FRI, MON),  # Saturday, after launch: rolls later
        ("+2d", FRI, MON),  # Sunday, after launch: rolls later
        ("-1w", SUN, FRI - timedelta(days=7)),  # a week before a Sunday launch
        ("+1w", SAT, MON + timedelta(days=7)),
    ],
)
def test_calendar_offset_rolls_away_from_launch_day(
    offset: str, launch_day: date, expected: date
) -> None:
    assert parse_offset(offset).resolve(launch_day, PLAIN) == expected


@pytest.mark.parametrize(
    ("offset", "launch_day", "roll", "expected"),
    [
        ("-1d", MON, Roll.LATER, MON),
        ("-1d", MON, Roll.NONE, SUN),
        ("-1d", MON, Roll.EARLIER, FRI),
        ("+1d", FRI, Roll.EARLIER, FRI),
        ("+1d", FRI, Roll.NONE, SAT),
        ("+2d", FRI, Roll.LATER, MON),
    ],
)
def test_roll_override_replaces_the_default_direction(
    offset: str, launch_day: date, roll: Roll, expected: date
) -> None:
    assert parse_offset(offset).resolve(launch_day, PLAIN, roll) == expected


@pytest.mark.parametrize("roll", [None, Roll.EARLIER, Roll.LATER, Roll.NONE])
@pytest.mark.parametrize("text", ["0d", "0d 09:00", "0bd", "0w"])
def test_zero_offset_is_launch_day_and_never_rolls(text: str, roll: Roll | None) -> None:
    assert parse_offset(text).resolve(SAT, PLAIN, roll) == SAT
    christmas = date(2026, 12, 25)
    assert parse_offset(text).resolve(christmas, US, roll) == christmas


@pytest.mark.parametrize(
    ("offset", "launch_day", "expected"),
    [
        # Thanksgiving is Thu 2026-11-26.
        ("+1d", date(2026, 11, 25), date(2026, 11, 27)),
        ("-1d", date(2026, 11, 27), date(2026, 11, 25)),
        # Christmas Fri 2026-12-25, then a weekend.
        ("+2w", date(2026, 12, 11), date(2026, 12, 28)),
        # New Year Fri 2027-01-01: across the year end in both directions.
        ("+1d", date(2026, 12, 31), date(2027, 1, 4)),
        ("-1d", date(2027, 1, 4), date(2026, 12, 31)),
        ("-3d", date(2027, 1, 4), date(2026, 12, 31)),
        ("-1w", date(2027, 1, 8), date(2026, 12, 31)),
    ],
)
def test_calendar_offset_rolls_off_holidays(offset: str, launch_day: date, expected: date) -> None:
    assert parse_offset(offset).resolve(launch_day, US) == expected


def test_roll_none_keeps_a_holiday() -> None:
    assert parse_offset("+1d").resolve(date(2026, 11, 25), US, Roll.NONE) == date(2026, 11, 26)


# --- business days -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("offset", "launch_day", "expected"),
    [
        ("-1bd", MON, FRI),
        ("+1bd", FRI, MON),
        ("-1bd", SUN, FRI),  # counting from a weekend launch
        ("+1bd", SAT, MON),
        ("-5bd", MON, MON - timedelta(days=7)),
        ("+10bd", MON, MON + timedelta(days=14)),
    ],
)
def test_business_days_skip_weekends(offset: str, launch_day: date, expected: date) -> None:
    assert parse_offset(offset).resolve(launch_day, PLAIN) == expected


@pytest.mark.parametrize(
    ("offset", "launch_day", "expected"),
    [
        # Thanksgiving Thu 2026-11-26.
        ("+1bd", date(2026, 11, 25), date(2026, 11, 27)),
        ("-1bd", date(2026, 11, 27), date(2026, 11, 25)),
        ("-5bd", date(2026, 11, 30), date(2026, 11, 20)),
        # Christmas Fri 2026-12-25.
        ("+3bd", date(2026, 12, 23), date(2026, 12, 29)),
        # New Year Fri 2027-01-01 and the weekend after it.
        ("-3bd", date(2027, 1, 4), date(2026, 12, 29)),
        ("-1bd", date(2027, 1, 4), date(2026, 12, 31)),
        ("+1bd", date(2026, 12, 31), date(2027, 1, 4)),
        ("-5bd", date(2027, 1, 4), date(2026, 12, 24)),
    ],
)
def test_business_days_skip_holidays(offset: str, launch_day: date, expected: date) -> None:
    assert parse_offset(offset).resolve(launch_day, US) == expected


@pytest.mark.parametrize("roll", [Roll.EARLIER, Roll.LATER, Roll.NONE])
def test_business_days_ignore_the_roll_override(roll: Roll) -> None:
    assert parse_offset("-3bd").resolve(date(2027, 1, 4), US, roll) == date(2026, 12, 29)


def test_business_day_offsets_always_land_on_working_days() -> None:
    launch_day = date(2026, 11, 1)
    for n in range(-40, 41):
        if n == 0:
            continue
        day = Offset(n, "bd").resolve(launch_day + timedelta(days=n % 7), US)
        assert US.is_working(day), (n, day)


# --- durations --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("5bd", Duration(5, "bd")),
        ("3d", Duration(3, "d")),
        ("2w", Duration(2, "w")),
        ("12h", Duration(12, "h")),
        (" 1d ", Duration(1, "d")),
    ],
)
def test_parse_duration_accepts_number_and_unit(text: str, expected: Duration) -> None:
    assert parse_duration(text) == expected
    assert str(parse_duration(text)) == text.strip()


@pytest.mark.parametrize("text", ["-1d", "+1d", "1.5d", "5", 5, None, True, "", "5x", "1d 09:00"])
def test_parse_duration_rejects_malformed_input(text: object) -> None:
    with pytest.raises(OffsetError, match="is not a duration"):
        parse_duration(text)


@pytest.mark.parametrize("text", ["0d", "0bd", "0h", "0w"])
def test_parse_duration_rejects_zero(text: str) -> None:
    with pytest.raises(OffsetError, match="a duration must be at least 1"):
        parse_duration(text)


@pytest.mark.parametrize(
    ("duration", "due", "expected"),
    [
        ("5bd", date(2026, 11, 30), date(2026, 11, 20)),  # skips Thanksgiving and a weekend
        ("1bd", date(2027, 1, 4), date(2026, 12, 31)),  # skips New Year and a weekend
        ("3d", date(2026, 11, 30), date(2026, 11, 27)),  # lands on a working Friday
        ("2d", date(2027, 1, 4), date(2026, 12, 31)),  # Saturday rolls back past New Year
        ("1w", date(2027, 1, 8), date(2026, 12, 31)),  # New Year's Day rolls earlier
        ("2w", date(2027, 3, 19), date(2027, 3, 5)),
    ],
)
def test_start_before_counts_back_from_due(duration: str, due: date, expected: date) -> None:
    assert parse_duration(duration).start_before(due, US) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("12h", timedelta(hours=12)), ("3d", timedelta(days=3)), ("2w", timedelta(days=14))],
)
def test_duration_as_timedelta(text: str, expected: timedelta) -> None:
    assert parse_duration(text).as_timedelta() == expected


def test_business_days_are_not_a_wall_clock_interval() -> None:
    with pytest.raises(OffsetError, match="business days"):
        parse_duration("1bd").as_timedelta()
