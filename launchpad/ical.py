"""iCalendar rendering with the ``icalendar`` library: plain rows in, bytes out.

Feeds are assembled from events rendered one at a time (``render_entry``) and cached,
so everything that decides an event's bytes must be in its row: UIDs and timestamps are
passed in, never invented. ``render_calendar`` renders a whole feed from scratch; the
assembled feed (``calendar_head`` + cached events + ``CALENDAR_TAIL``) is byte-identical
to it, which the tests check.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from urllib.parse import urlsplit

from icalendar import Calendar, Component, Event, Timezone, TimezoneStandard, Todo, vDuration, vText

PRODID = "-//Launchpad//Launch calendar feeds//EN"
REFRESH = timedelta(hours=1)
TIMED_LENGTH = timedelta(minutes=30)  # a timed task is shown as the half hour before it is due
CALENDAR_TAIL = b"END:VCALENDAR\r\n"
TODO_STATUS = {"todo": "NEEDS-ACTION", "in_progress": "IN-PROCESS", "blocked": "NEEDS-ACTION"}
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


@dataclass(frozen=True, slots=True)
class Entry:
    """One calendar entry (a task, or a launch day) with everything its bytes depend on."""

    uid: str
    summary: str
    description: str
    url: str
    categories: tuple[str, ...]
    day: date  # due date (all-day) ...
    first_day: date | None  # ... spanning from here when the task has a start date
    due_at: datetime | None  # a timed task: due at this UTC instant
    sequence: int
    changed_at: datetime  # UTC; DTSTAMP and LAST-MODIFIED
    todo_status: str | None = None  # set: render a VTODO instead of a VEVENT


def clean(text: str, *, one_line: bool = False) -> str:
    """Text a calendar can show: control characters stripped, newlines normalised."""
    text = _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    return " ".join(text.split()) if one_line else text.strip()


def uid_host(base_url: str) -> str:
    """The right-hand side of every UID: the host of LAUNCHPAD_BASE_URL."""
    return urlsplit(base_url).hostname or "launchpad.invalid"


def render_entry(entry: Entry) -> bytes:
    """One VEVENT (or VTODO) as the bytes ``render_calendar`` would write for it."""
    return bytes(_component(entry).to_ical())


def calendar_head(name: str, description: str) -> bytes:
    """The calendar's opening lines and properties, without its closing line."""
    whole = bytes(_calendar(name, description).to_ical())
    return whole[: -len(CALENDAR_TAIL)]


def assemble(head: bytes, events: Sequence[bytes]) -> bytes:
    """A feed from rendered parts; an empty feed gets a UTC VTIMEZONE (RFC 5545 wants one)."""
    return b"".join((head, *events) if events else (head, _empty_body())) + CALENDAR_TAIL


def render_calendar(name: str, description: str, entries: Iterable[Entry]) -> bytes:
    """The whole feed rendered from scratch: the reference the cached path must match."""
    calendar = _calendar(name, description)
    for entry in entries:
        calendar.add_component(_component(entry))
    if not calendar.subcomponents:
        calendar.add_component(_utc_timezone())
    return bytes(calendar.to_ical())


def _calendar(name: str, description: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    for key in ("name", "x-wr-calname"):
        calendar.add(key, vText(clean(name, one_line=True)))
    calendar.add("x-wr-caldesc", vText(clean(description)))
    calendar.add("refresh-interval", vDuration(REFRESH), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", vDuration(REFRESH))
    return calendar


def _component(entry: Entry) -> Component:
    component: Component = Todo() if entry.todo_status else Event()
    component.add("uid", entry.uid)
    component.add("dtstamp", entry.changed_at)
    component.add("last-modified", entry.changed_at)
    component.add("sequence", entry.sequence)
    component.add("summary", clean(entry.summary, one_line=True))
    component.add("description", clean(entry.description))
    component.add("url", entry.url)
    component.add("categories", [clean(c, one_line=True) for c in entry.categories])
    if entry.todo_status:
        _todo_times(component, entry)
    else:
        _event_times(component, entry)
    return component


def _event_times(event: Component, entry: Entry) -> None:
    if entry.due_at is not None and entry.first_day is None:
        event.add("dtstart", entry.due_at - TIMED_LENGTH)
        event.add("dtend", entry.due_at)
    else:
        event.add("dtstart", entry.first_day or entry.day)
        event.add("dtend", entry.day + timedelta(days=1))
    event.add("transp", "TRANSPARENT")


def _todo_times(todo: Component, entry: Entry) -> None:
    todo.add("status", entry.todo_status)
    if entry.due_at is not None and entry.first_day is None:
        todo.add("due", entry.due_at)
        return
    if entry.first_day is not None:
        todo.add("dtstart", entry.first_day)
    todo.add("due", entry.day)


def _utc_timezone() -> Timezone:
    zone, standard = Timezone(), TimezoneStandard()
    zone.add("tzid", "UTC")
    standard.add("dtstart", datetime(1970, 1, 1))
    standard.add("tzoffsetfrom", timedelta(0))
    standard.add("tzoffsetto", timedelta(0))
    standard.add("tzname", "UTC")
    zone.add_component(standard)
    return zone


@lru_cache(maxsize=1)
def _empty_body() -> bytes:
    return bytes(_utc_timezone().to_ical())
