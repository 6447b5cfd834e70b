"""iCalendar rendering: raw bytes, escaping, folding, and two parsers reading it back."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, date, datetime

import icalendar
import pytest
import vobject

from launchpad.ical import (
    CALENDAR_TAIL,
    Entry,
    assemble,
    calendar_head,
    clean,
    render_calendar,
    render_entry,
    uid_host,
)

CHANGED = datetime(2027, 1, 4, 9, 0, 15, 123456, tzinfo=UTC)
NASTY = "Press, kit; ready \\ now\nplease\x00\x07\x1b\x7f done"
EMOJI = "Launch 🚀 party 🎉"
RTL = "إطلاق المنتج עברית"
CJK = "発売準備" * 75  # 300 characters, 900 octets


def entry(**overrides: object) -> Entry:
    values: dict[str, object] = {
        "uid": "task-7.person@launchpad.example.com",
        "summary": "[Apollo] Press kit ready",
        "description": "Phase: pre-launch\nTeam: Marketing\n\nhttps://lp.example.com/x",
        "url": "https://lp.example.com/launches/1/tasks/7",
        "categories": ("pre-launch", "Marketing"),
        "day": date(2027, 3, 2),
        "first_day": None,
        "due_at": None,
        "sequence": 3,
        "changed_at": CHANGED,
    }
    values.update(overrides)
    return Entry(**values)  # type: ignore[arg-type]


def physical_lines(body: bytes) -> list[bytes]:
    assert body.endswith(b"\r\n")
    return body[:-2].split(b"\r\n")


def unfolded(body: bytes) -> list[str]:
    return body.decode("utf-8").replace("\r\n ", "").split("\r\n")[:-1]


def both_parsers(body: bytes) -> list[dict[str, object]]:
    """Every component read by icalendar and by vobject; they must agree."""
    ours = [
        {
            "uid": str(c["UID"]),
            "summary": str(c["SUMMARY"]),
            "description": str(c["DESCRIPTION"]),
            "sequence": int(c["SEQUENCE"]),
            "categories": [str(v) for v in c["CATEGORIES"].cats],
        }
        for c in icalendar.Calendar.from_ical(body).walk()
        if c.name in ("VEVENT", "VTODO")
    ]
    parsed = vobject.readOne(body.decode("utf-8"))
    theirs = [
        {
            "uid": c.uid.value,
            "summary": c.summary.value,
            "description": c.description.value,
            "sequence": int(c.sequence.value),
            "categories": list(c.categories.value),
        }
        for c in parsed.getChildren()
        if c.name in ("VEVENT", "VTODO")
    ]
    assert ours == theirs
    return ours


def test_lines_end_in_crlf_only_and_fold_at_75_octets_without_splitting_characters() -> None:
    body = render_calendar("Cal", "d", [entry(summary=f"[{CJK}] {EMOJI} {RTL}")])
    assert b"\n" not in body.replace(b"\r\n", b"")
    assert b"\r" not in body.replace(b"\r\n", b"")
    for line in physical_lines(body):
        assert len(line) <= 75
        line.decode("utf-8")  # a split multi-byte character would not decode
    assert any(len(line) > 70 for line in physical_lines(body))


def test_text_is_escaped_and_control_characters_are_stripped() -> None:
    body = render_calendar("Cal", "d", [entry(summary=NASTY, description=NASTY)])
    lines = unfolded(body)
    assert "SUMMARY:Press\\, kit\\; ready \\\\ now please done" in lines
    assert "DESCRIPTION:Press\\, kit\\; ready \\\\ now\\nplease done" in lines
    assert not re.search(rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", body)
    [parsed] = both_parsers(body)
    assert parsed["summary"] == "Press, kit; ready \\ now please done"
    assert parsed["description"] == "Press, kit; ready \\ now\nplease done"


@pytest.mark.parametrize("text", [EMOJI, RTL, CJK, "a,b;c\\d"])
def test_unicode_and_special_text_round_trips_through_two_parsers(text: str) -> None:
    body = render_calendar(text, "d", [entry(summary=text, categories=(text, "x,y"))])
    [parsed] = both_parsers(body)
    assert parsed["summary"] == text
    assert parsed["categories"] == [text, "x,y"]
    calendar = vobject.readOne(body.decode())  # icalendar leaves NAME's escapes in place
    assert calendar.contents["x-wr-calname"][0].value == text
    assert calendar.contents["name"][0].value == text


def test_calendar_properties_are_written_for_subscriptions() -> None:
    lines = unfolded(render_calendar("Jane's tasks, all; of\\ them", "About", [entry()]))
    assert lines[:3] == [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Launchpad//Launch calendar feeds//EN",
    ]
    for expected in (
        "NAME:Jane's tasks\\, all\\; of\\\\ them",
        "X-WR-CALNAME:Jane's tasks\\, all\\; of\\\\ them",
        "REFRESH-INTERVAL;VALUE=DURATION:PT1H",
        "X-PUBLISHED-TTL:PT1H",
        "METHOD:PUBLISH",
    ):
        assert expected in lines
    assert lines[-1] == "END:VCALENDAR"


def test_an_all_day_task_is_one_date_and_transparent_without_alarms_or_attendees() -> None:
    lines = unfolded(render_entry(entry()))
    assert "DTSTART;VALUE=DATE:20270302" in lines
    assert "DTEND;VALUE=DATE:20270303" in lines
    assert "TRANSP:TRANSPARENT" in lines
    assert "DTSTAMP:20270104T090015Z" in lines
    assert "LAST-MODIFIED:20270104T090015Z" in lines
    assert "UID:task-7.person@launchpad.example.com" in lines
    assert "SEQUENCE:3" in lines
    assert "URL:https://lp.example.com/launches/1/tasks/7" in lines
    assert not any(line.startswith(("BEGIN:VALARM", "ATTENDEE", "ORGANIZER")) for line in lines)


def test_a_multi_day_task_spans_its_days_and_a_timed_one_is_in_utc() -> None:
    spanning = unfolded(render_entry(entry(first_day=date(2027, 2, 26))))
    assert "DTSTART;VALUE=DATE:20270226" in spanning
    assert "DTEND;VALUE=DATE:20270303" in spanning
    timed = unfolded(render_entry(entry(due_at=datetime(2027, 3, 2, 16, 0, tzinfo=UTC))))
    assert "DTSTART:20270302T153000Z" in timed
    assert "DTEND:20270302T160000Z" in timed


def test_a_todo_has_a_status_and_a_due_date_and_no_transparency() -> None:
    lines = unfolded(render_entry(entry(todo_status="IN-PROCESS", first_day=date(2027, 3, 1))))
    assert lines[0] == "BEGIN:VTODO"
    assert "STATUS:IN-PROCESS" in lines
    assert "DUE;VALUE=DATE:20270302" in lines
    assert "DTSTART;VALUE=DATE:20270301" in lines
    assert not any(line.startswith(("TRANSP", "DTEND")) for line in lines)
    timed = unfolded(render_entry(entry(todo_status="NEEDS-ACTION", due_at=CHANGED)))
    assert "DUE:20270104T090015Z" in timed


def test_assembled_parts_are_byte_identical_to_a_whole_render() -> None:
    entries = [
        entry(),
        entry(uid="task-8.person@h", summary=NASTY, first_day=date(2027, 2, 1)),
        entry(uid="task-9.person@h", summary=CJK, due_at=CHANGED),
        entry(uid="task-10.person@h", todo_status="NEEDS-ACTION"),
    ]
    head = calendar_head("Name, with; specials", "About")
    assembled = assemble(head, [render_entry(e) for e in entries])
    assert assembled == render_calendar("Name, with; specials", "About", entries)
    assert assembled.endswith(CALENDAR_TAIL)


def test_the_empty_calendar_is_valid_for_both_parsers() -> None:
    body = render_calendar("Nothing", "d", [])
    assert body == assemble(calendar_head("Nothing", "d"), [])
    assert both_parsers(body) == []
    assert b"BEGIN:VTIMEZONE" in body  # RFC 5545 wants at least one component
    assert vobject.readOne(body.decode()).contents["x-wr-calname"][0].value == "Nothing"


def test_rendering_is_deterministic_and_invents_nothing() -> None:
    one = render_entry(entry())
    assert one == render_entry(replace(entry()))
    assert b"task-7.person@launchpad.example.com" in one


def test_helpers() -> None:
    assert uid_host("https://lp.example.com:8443/sub") == "lp.example.com"
    assert uid_host("not a url") == "launchpad.invalid"
    assert clean(" a\r\nb\x00 ") == "a\nb"
    assert clean("a\n\n b\t", one_line=True) == "a b"
