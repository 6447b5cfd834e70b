"""Offsets and durations relative to launch day (`-10bd 17:00`, `+2w`, `5bd`)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, time, timedelta
from enum import StrEnum
from typing import Literal

from launchpad.planning.workdays import WorkCalendar

Unit = Literal["d", "w", "bd"]

_OFFSET_RE = re.compile(r"^([+-]?)([0-9]{1,4})(bd|d|w)(?:\s+([0-9]{1,2}):([0-9]{2}))?$")
_DURATION_RE = re.compile(r"^([0-9]{1,4})(bd|d|w|h)$")

OFFSET_HINT = "write a signed number and a unit, e.g. -10bd, +2w, 0d or -3bd 17:00"
DURATION_HINT = "write a number and a unit, e.g. 5bd, 3d, 2w (or 12h for KPI schedules)"


class OffsetError(ValueError):
    """A malformed offset or duration; the message says what is wrong."""


class Roll(StrEnum):
    """Where a calendar-day offset that lands on a non-working day moves to."""

    EARLIER = "earlier"
    LATER = "later"
    NONE = "none"


@dataclass(frozen=True, slots=True)
class Offset:
    """A signed distance from launch day, optionally at a local time of day."""

    amount: int
    unit: Unit
    at: time | None = None

    @property
    def approx_days(self) -> float:
        """Rough calendar length, for ordering offsets of different units."""
        factor = {"d": 1.0, "w": 7.0, "bd": 7.0 / 5.0}[self.unit]
        return self.amount * factor

    def resolve(self, launch_day: date, calendar: WorkCalendar, roll: Roll | None = None) -> date:
        """The working day this offset means for a launch on `launch_day`."""
        if self.amount == 0:
            return launch_day
        if self.unit == "bd":
            return calendar.add_working_days(launch_day, self.amount)
        days = self.amount * (7 if self.unit == "w" else 1)
        target = launch_day + timedelta(days=days)
        direction = roll or (Roll.EARLIER if self.amount < 0 else Roll.LATER)
        return calendar.roll(target, direction.value)

    def __str__(self) -> str:
        sign = "+" if self.amount > 0 else ("-" if self.amount < 0 else "")
        text = f"{sign}{abs(self.amount)}{self.unit}"
        return f"{text} {self.at:%H:%M}" if self.at else text


@dataclass(frozen=True, slots=True)
class Duration:
    """A length of work or a KPI recurrence interval (`5bd`, `2w`, `12h`)."""

    amount: int
    unit: Literal["d", "w", "bd", "h"]

    def start_before(self, due: date, calendar: WorkCalendar) -> date:
        """The start of work that takes this long and ends on `due`."""
        if self.unit == "bd":
            return calendar.add_working_days(due, -self.amount)
        days = self.amount * (7 if self.unit == "w" else 1)
        return calendar.roll(due - timedelta(days=days), "earlier")

    def as_timedelta(self) -> timedelta:
        """Wall-clock length, for recurring schedules (business days are not allowed there)."""
        if self.unit == "h":
            return timedelta(hours=self.amount)
        if self.unit == "bd":
            raise OffsetError("business days cannot be used as a recurrence interval")
        return timedelta(days=self.amount * (7 if self.unit == "w" else 1))

    def __str__(self) -> str:
        return f"{self.amount}{self.unit}"


def parse_offset(text: object) -> Offset:
    """Parse `-10bd 17:00`; raise OffsetError with a message that names the problem."""
    if not isinstance(text, str | int) or isinstance(text, bool):
        raise OffsetError(f"an offset must be text like -10bd, not {type(text).__name__}")
    match = _OFFSET_RE.match(str(text).strip())
    if match is None:
        raise OffsetError(f"'{text}' is not an offset")
    sign, number, unit, hours, minutes = match.groups()
    amount = -int(number) if sign == "-" else int(number)
    at = None
    if hours is not None:
        if int(hours) > 23 or int(minutes) > 59:
            raise OffsetError(f"'{hours}:{minutes}' in '{text}' is not a time of day")
        at = time(int(hours), int(minutes))
    return Offset(amount, unit, at)  # type: ignore[arg-type]


def parse_duration(text: object) -> Duration:
    """Parse `5bd`; raise OffsetError with a message that names the problem."""
    match = _DURATION_RE.match(str(text).strip()) if isinstance(text, str) else None
    if match is None:
        raise OffsetError(f"'{text}' is not a duration")
    amount = int(match.group(1))
    if amount == 0:
        raise OffsetError(f"'{text}' is zero; a duration must be at least 1")
    return Duration(amount, match.group(2))  # type: ignore[arg-type]
