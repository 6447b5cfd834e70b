"""Working days of one launch: weekdays worked and public holidays (`holidays` package)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from typing import Literal

import holidays as holiday_data

WEEKDAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DEFAULT_WORKDAYS = frozenset(range(5))
_YEARS_AROUND = 2


class CalendarError(ValueError):
    """An unknown holiday calendar code or a bad workday list."""


@dataclass(frozen=True, slots=True)
class WorkCalendar:
    """Which days count as working days around one launch."""

    workdays: frozenset[int] = DEFAULT_WORKDAYS
    holidays: frozenset[date] = field(default_factory=frozenset)
    holiday_names: tuple[tuple[date, str], ...] = ()

    def is_working(self, day: date) -> bool:
        return day.weekday() in self.workdays and day not in self.holidays

    def roll(self, day: date, direction: Literal["earlier", "later", "none"]) -> date:
        """Move a non-working day to the nearest working day in `direction`."""
        if direction == "none":
            return day
        step = timedelta(days=-1 if direction == "earlier" else 1)
        while not self.is_working(day):
            day += step
        return day

    def add_working_days(self, day: date, count: int) -> date:
        """Count `count` working days from `day` (not counting `day` itself)."""
        step = timedelta(days=1 if count > 0 else -1)
        remaining = abs(count)
        while remaining:
            day += step
            if self.is_working(day):
                remaining -= 1
        return day

    def working_days_between(self, start: date, end: date) -> int:
        """Working days in (start, end], negative when end is before start."""
        if end < start:
            return -self.working_days_between(end, start)
        # Whole weeks hold each weekday once; then the few days left; then the holidays.
        # Pages ask this for every task, so no day-by-day walk over months.
        weeks, extra = divmod((end - start).days, 7)
        first = start.weekday()
        count = weeks * len(self.workdays)
        count += sum(1 for n in range(1, extra + 1) if (first + n) % 7 in self.workdays)
        return count - sum(
            1 for day in self.holidays if start < day <= end and day.weekday() in self.workdays
        )

    def holiday_name(self, day: date) -> str | None:
        return dict(self.holiday_names).get(day)


def parse_workdays(names: list[str] | tuple[str, ...]) -> frozenset[int]:
    """Turn `[mon, tue, ...]` into weekday numbers, rejecting unknown names."""
    unknown = [name for name in names if name not in WEEKDAY_NAMES]
    if unknown:
        raise CalendarError(
            f"unknown weekday {', '.join(map(str, unknown))}; use {', '.join(WEEKDAY_NAMES)}"
        )
    if not names:
        raise CalendarError("a calendar needs at least one working day")
    return frozenset(WEEKDAY_NAMES.index(name) for name in names)


def check_holiday_code(code: str) -> None:
    """Raise CalendarError unless `code` is `CC` or `CC-SUBDIV` known to `holidays`."""
    country, _, subdivision = code.partition("-")
    supported = _supported_calendars()
    if country not in supported:
        raise CalendarError(
            f"unknown holiday calendar '{code}': use an ISO country code such as US, GB or DE"
        )
    if subdivision and subdivision not in supported[country]:
        raise CalendarError(
            f"'{country}' has no subdivision '{subdivision}'; "
            f"known: {', '.join(supported[country][:12])}..."
        )


@lru_cache(maxsize=1)
def _supported_calendars() -> dict[str, list[str]]:
    return dict(holiday_data.list_supported_countries())


@lru_cache(maxsize=256)
def _holidays_for(code: str, first_year: int, last_year: int) -> tuple[tuple[date, str], ...]:
    country, _, subdivision = code.partition("-")
    table = holiday_data.country_holidays(
        country, subdiv=subdivision or None, years=range(first_year, last_year + 1)
    )
    return tuple(sorted(table.items()))


def work_calendar(
    holiday_code: str | None, around: date, workdays: frozenset[int] = DEFAULT_WORKDAYS
) -> WorkCalendar:
    """The calendar for a launch near `around` (holidays two years either side)."""
    if not holiday_code:
        return WorkCalendar(workdays=workdays)
    check_holiday_code(holiday_code)
    names = _holidays_for(holiday_code, around.year - _YEARS_AROUND, around.year + _YEARS_AROUND)
    return _cached_calendar(workdays, names)


@lru_cache(maxsize=256)
def _cached_calendar(workdays: frozenset[int], names: tuple[tuple[date, str], ...]) -> WorkCalendar:
    return WorkCalendar(
        workdays=workdays, holidays=frozenset(d for d, _ in names), holiday_names=names
    )
