"""When the checks of a KPI target are due: instants in UTC from offsets in the launch's zone.

`at: +7d` is one check at 09:00 local on launch day + 7 (no rolling to working days:
metrics do not take weekends off). `every: 1d, from: +1d, until: +30d` repeats at the same
*local* time of day, so a daily 09:00 check stays at 09:00 across a DST change, while
`every: 1h` steps in real hours, so no hour is skipped or counted twice.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from launchpad.planning.offsets import Duration, Offset, Roll, parse_duration, parse_offset
from launchpad.planning.timezones import local_to_utc, zone
from launchpad.planning.workdays import WorkCalendar

DEFAULT_CHECK_TIME = time(9, 0)


@dataclass(frozen=True, slots=True)
class KpiSchedule:
    """Resolved against one launch: the first and last instants and the step between."""

    first: datetime
    last: datetime
    every: Duration | None
    zone_name: str

    def instants(
        self, after: datetime | None = None, until: datetime | None = None
    ) -> Iterator[datetime]:
        """Due instants in order, those > `after` and <= `until` (both optional)."""
        stop = self.last if until is None else min(self.last, until)
        if self.every is None:
            if self.first <= stop and (after is None or self.first > after):
                yield self.first
            return
        if self.every.unit == "h":
            yield from self._hourly(after, stop)
        else:
            yield from self._daily(after, stop)

    def _hourly(self, after: datetime | None, stop: datetime) -> Iterator[datetime]:
        step = self.every.as_timedelta() if self.every else timedelta(hours=1)
        k = 0 if after is None or after < self.first else (after - self.first) // step + 1
        while (instant := self.first + k * step) <= stop:
            yield instant
            k += 1

    def _daily(self, after: datetime | None, stop: datetime) -> Iterator[datetime]:
        days = self.every.as_timedelta().days if self.every else 1
        local = self.first.astimezone(zone(self.zone_name))
        first_day, at = local.date(), local.time()
        # Jump close to `after`; a DST hour may put the jump one step early, never late.
        k = 0 if after is None else max((after - self.first).days // days - 1, 0)
        while True:
            instant = local_to_utc(first_day + timedelta(days=k * days), at, self.zone_name)
            if instant > stop:
                return
            if after is None or instant > after:
                yield instant
            k += 1


def resolve_schedule(
    at: str | None,
    every: str | None,
    start: str | None,
    until: str | None,
    *,
    launch_day: date,
    zone_name: str,
    calendar: WorkCalendar,
) -> KpiSchedule | None:
    """The schedule of stored offset text, or None for a target without one (manual checks).

    Raises OffsetError for text that is not an offset or duration.
    """
    if at is not None:
        instant = _instant(parse_offset(at), launch_day, zone_name, calendar)
        return KpiSchedule(instant, instant, None, zone_name)
    if every is None or start is None or until is None:
        return None
    first = _instant(parse_offset(start), launch_day, zone_name, calendar)
    end = _instant(parse_offset(until), launch_day, zone_name, calendar)
    bounded = KpiSchedule(first, max(first, end), parse_duration(every), zone_name)
    last = deque(bounded.instants(), maxlen=1)
    return KpiSchedule(first, last[0] if last else first, bounded.every, zone_name)


def _instant(offset: Offset, launch_day: date, zone_name: str, calendar: WorkCalendar) -> datetime:
    day = offset.resolve(launch_day, calendar, Roll.NONE)
    return local_to_utc(day, offset.at or DEFAULT_CHECK_TIME, zone_name)
