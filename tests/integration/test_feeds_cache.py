"""Feeds assembled from cached events are byte-identical to a from-scratch render."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from launchpad.models import Launch, Task, TaskEvent
from launchpad.services.feed_reference import render_from_scratch
from launchpad.services.feed_tokens import live_token
from launchpad.services.feeds import OpenFeed, build_feed, open_feed, remember_fetch
from launchpad.services.task_changes import set_status
from launchpad.services.task_edits import retitle_task

BASE = "https://launchpad.example.com"
AT = datetime(2027, 1, 10, 8, 0, tzinfo=UTC)
HOSTILE = {  # title as typed -> as a calendar shows it
    "Press, kit; ready \\ now": "Press, kit; ready \\ now",
    "Line one\nline two\x00\x07\x1b!": "Line one line two!",
    "Launch 🚀 party 🎉": "Launch 🚀 party 🎉",
    "إطلاق المنتج עברית": "إطلاق المنتج עברית",
    "発売準備" * 75: "発売準備" * 75,
}


def opened(session: Session, secret: str, fmt: str = "event", base: str = BASE) -> OpenFeed:
    feed = open_feed(session.connection(), secret, fmt, base_url=base, now=AT)
    assert feed is not None
    return feed


def served(session: Session, feed: OpenFeed) -> bytes:
    """What a fetch serves, with its renderings kept as the web view keeps them."""
    built = build_feed(session.connection(), feed)
    remember_fetch(session.connection(), feed, built, "test", AT)
    session.commit()
    return built.body


@pytest.fixture
def comet(make_launch: Any) -> Launch:
    launch: Launch = make_launch()
    return launch


@pytest.mark.parametrize("fmt", ["event", "todo"])
@pytest.mark.parametrize(
    ("who", "scope", "phase"),
    [
        ("leads.product", "person", None),
        ("members.marketing", "team:marketing", None),
        ("pm", "launch", None),
        ("pm", "launch", "launch"),
        ("pm", "launch", "pre-launch"),
    ],
)
def test_cached_feeds_match_a_from_scratch_render(
    comet: Launch,
    org: Any,
    issue_feed: Any,
    session: Session,
    read_calendar: Any,
    who: str,
    scope: str,
    phase: str | None,
    fmt: str,
) -> None:
    owner = org
    for part in who.split("."):
        owner = owner[part] if isinstance(owner, dict) else getattr(owner, part)
    scope = f"launch:{comet.id}" if scope == "launch" else scope
    feed = opened(session, issue_feed(owner, scope, phase).secret, fmt)
    cold = served(session, feed)
    warm = build_feed(session.connection(), feed)
    assert warm.rendered == {}  # everything came from the cache
    assert cold == warm.body == render_from_scratch(session, feed)
    components = read_calendar(cold)
    assert components
    if phase:
        assert all(c["categories"][0] == phase for c in components)
    kinds = {c["kind"] for c in components if not c["uid"].startswith("launch-")}
    assert kinds == {"VTODO" if fmt == "todo" else "VEVENT"}


def test_a_change_renders_only_the_changed_events_again(
    comet: Launch, org: Any, issue_feed: Any, session: Session
) -> None:
    secret = issue_feed(org.pm, f"launch:{comet.id}").secret
    served(session, opened(session, secret))
    task = session.scalars(select(Task).where(Task.launch_id == comet.id).limit(1)).one()
    set_status(session, task.id, "in_progress", actor=org.pm, now=AT)
    session.commit()
    feed = opened(session, secret)
    rebuilt = build_feed(session.connection(), feed)
    assert set(rebuilt.rendered) == {task.id}
    assert rebuilt.body == render_from_scratch(session, feed)


def test_a_new_base_url_renders_every_event_again(
    comet: Launch, org: Any, issue_feed: Any, session: Session
) -> None:
    secret = issue_feed(org.pm, f"launch:{comet.id}").secret
    served(session, opened(session, secret))
    moved = opened(session, secret, base="https://calendar.example.org")
    rebuilt = build_feed(session.connection(), moved)
    assert len(rebuilt.rendered) == session.scalar(select(func.count(Task.id)))
    assert b"UID:task-" in rebuilt.body and b"@calendar.example.org" in rebuilt.body
    assert rebuilt.body == render_from_scratch(session, moved)


@pytest.mark.parametrize(("title", "shown"), HOSTILE.items())
def test_hostile_titles_still_parse_and_match(
    comet: Launch,
    org: Any,
    issue_feed: Any,
    session: Session,
    read_calendar: Any,
    title: str,
    shown: str,
) -> None:
    secret = issue_feed(org.pm, f"launch:{comet.id}").secret
    task = session.scalars(select(Task).where(Task.launch_id == comet.id).limit(1)).one()
    retitle_task(session, task.id, title, actor=org.pm, now=AT)
    session.commit()
    feed = opened(session, secret)
    body = served(session, feed)
    assert body == render_from_scratch(session, feed)
    events = {c["uid"]: c for c in read_calendar(body)}
    assert events[f"task-{task.id}.launch@launchpad.example.com"]["summary"] == f"[Comet] {shown}"
    for line in body.split(b"\r\n"):
        assert len(line) <= 75
        line.decode("utf-8")


def test_the_size_cap_cuts_whole_far_days_and_keeps_overdue_tasks(
    comet: Launch, org: Any, issue_feed: Any, session: Session
) -> None:
    secret = issue_feed(org.pm, f"launch:{comet.id}").secret
    feed = open_feed(
        session.connection(), secret, "event", base_url=BASE, now=datetime(2027, 2, 20, tzinfo=UTC)
    )
    assert feed is not None
    full = build_feed(session.connection(), feed).body
    cap = len(full) // 2
    capped = build_feed(session.connection(), feed, max_body=cap).body
    assert len(capped) <= cap
    assert capped == render_from_scratch(session, feed, max_body=cap)
    overdue = session.scalars(
        select(Task.id).where(Task.launch_id == comet.id, Task.due_date < date(2027, 2, 20))
    ).all()
    assert overdue
    assert all(f"UID:task-{i}.launch@".encode() in capped for i in overdue)
    kept_days = {line for line in capped.split(b"\r\n") if line.startswith(b"DTEND")}
    assert len(kept_days) < len({line for line in full.split(b"\r\n") if line.startswith(b"DTEND")})
    tiny = build_feed(
        session.connection(), feed, max_body=10
    ).body  # overdue tasks stay even over the cap
    assert all(f"UID:task-{i}.launch@".encode() in tiny for i in overdue)


def test_an_older_rendering_never_replaces_a_newer_one(
    comet: Launch, org: Any, issue_feed: Any, session: Session
) -> None:
    from launchpad.services.feed_cache import store_events

    task = session.scalars(select(Task).where(Task.launch_id == comet.id).limit(1)).one()
    store_events(session.connection(), "event.launch", "r", {task.id: (b"new", 5, 1)})
    store_events(session.connection(), "event.launch", "r", {task.id: (b"old", 4, 1)})
    session.commit()
    assert session.scalar(select(TaskEvent.body).where(TaskEvent.task_id == task.id)) == b"new"


def test_live_token_needs_the_exact_secret(org: Any, issue_feed: Any, session: Session) -> None:
    secret = issue_feed(org.pm).secret
    assert live_token(session.connection(), secret) is not None
    for wrong in (secret[:-1], secret.swapcase(), secret + "x", "", "x" * 5000):
        assert live_token(session.connection(), wrong) is None


def test_the_revision_arithmetic_is_64_bit(
    comet: Launch, org: Any, issue_feed: Any, session: Session
) -> None:
    secret = issue_feed(org.pm, f"launch:{comet.id}").secret
    before = opened(session, secret).etag
    session.execute(update(Task).where(Task.launch_id == comet.id).values(version=2_000_000_000))
    session.commit()
    after = opened(session, secret)  # id * 1,000,003 and version * 7,919 overflow 32 bits
    assert after.etag != before
