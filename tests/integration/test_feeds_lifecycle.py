"""Every change a task goes through, seen by a subscribed calendar: UID, SEQUENCE, ETag, 304."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from launchpad.models import Launch, Task, Team, User
from launchpad.services.feed_reference import render_from_scratch
from launchpad.services.feed_tokens import rotate_feed_token
from launchpad.services.feeds import build_feed, open_feed
from launchpad.services.launch_details import rename_launch
from launchpad.services.people import add_to_team, remove_from_team
from launchpad.services.rescheduling import reschedule_launch
from launchpad.services.roles import remap_role
from launchpad.services.task_changes import pin_due_date, set_status
from launchpad.services.task_details import set_assignee
from launchpad.services.task_edits import retitle_task

BASE = "http://127.0.0.1:5000"


@dataclass
class Seen:
    """One fetch as a calendar app keeps it."""

    etag: str
    last_modified: str
    events: dict[str, dict[str, Any]]


@pytest.fixture
def fetch(client: FlaskClient, read_calendar: Any, session: Session) -> Any:
    def get(path: str) -> Seen:
        response = client.get(path)
        session.commit()  # a fresh snapshot: the fetch wrote its bookkeeping (SQLite WAL)
        assert response.status_code == 200, response.status_code
        events = {e["uid"]: e for e in read_calendar(response.data)}
        return Seen(response.headers["ETag"], response.headers["Last-Modified"], events)

    return get


@pytest.fixture
def comet(make_launch: Any) -> Launch:
    launch: Launch = make_launch()
    return launch


def first_task(session: Session, user: User) -> Task:
    query = select(Task).where(Task.assignee_id == user.id).order_by(Task.due_date, Task.id)
    return session.scalars(query).first() or pytest.fail("no task")


def still_fresh(client: FlaskClient, path: str, seen: Seen) -> bool:
    """Would the calendar's copy still be answered with a 304?"""
    by_tag = client.get(path, headers={"If-None-Match": seen.etag}).status_code
    by_date = client.get(path, headers={"If-Modified-Since": seen.last_modified}).status_code
    assert by_tag == by_date, (by_tag, by_date)
    return by_tag == 304


def now() -> datetime:
    return datetime.now(UTC)


def test_retitle_keeps_the_uid_bumps_sequence_and_changes_the_etag(
    client: FlaskClient, comet: Launch, org: Any, issue_feed: Any, fetch: Any, session: Session
) -> None:
    feed = issue_feed(org.pm, f"launch:{comet.id}")
    before = fetch(feed.path())
    task = first_task(session, org.leads["product"])
    uid = f"task-{task.id}.launch@127.0.0.1"
    retitle_task(session, task.id, "Scope, users; metric \\ agreed", actor=org.pm, now=now())
    session.commit()
    assert not still_fresh(client, feed.path(), before)
    after = fetch(feed.path())
    assert after.etag != before.etag
    assert after.events[uid]["summary"] == "[Comet] Scope, users; metric \\ agreed"
    assert after.events[uid]["sequence"] == before.events[uid]["sequence"] + 1
    assert still_fresh(client, feed.path(), after)
    waiting = [e for e in after.events.values() if "Depends on: Scope, users" in e["description"]]
    assert waiting  # dependents were rendered again with the new title


def test_reschedule_moves_events_bumps_sequence_and_moves_launch_day(
    client: FlaskClient, comet: Launch, org: Any, issue_feed: Any, fetch: Any, session: Session
) -> None:
    feed = issue_feed(org.pm, f"launch:{comet.id}")
    before = fetch(feed.path())
    reschedule_launch(
        session, comet.id, date(2027, 3, 16), expected_version=None, actor=org.pm, now=now(),
        apply=True,
    )  # fmt: skip
    session.commit()
    after = fetch(feed.path())
    assert after.etag != before.etag
    assert set(after.events) == set(before.events)
    day = f"launch-{comet.id}.launch@127.0.0.1"
    assert after.events[day]["start"] == date(2027, 3, 16)
    assert after.events[day]["sequence"] > before.events[day]["sequence"]
    moved = [
        uid for uid in after.events if after.events[uid]["start"] != before.events[uid]["start"]
    ]
    assert len(moved) > 10
    assert all(after.events[u]["sequence"] == before.events[u]["sequence"] + 1 for u in moved)
    assert not still_fresh(client, feed.path(), before)


def test_pinning_a_due_date_bumps_sequence(
    comet: Launch, org: Any, issue_feed: Any, fetch: Any, session: Session
) -> None:
    owner = org.leads["product"]
    feed = issue_feed(owner)
    task = first_task(session, owner)
    before = fetch(feed.path())
    pin_due_date(session, task.id, date(2027, 1, 29), actor=owner, now=now())
    session.commit()
    after = fetch(feed.path())
    uid = f"task-{task.id}.person@127.0.0.1"
    assert after.events[uid]["start"] == date(2027, 1, 29)
    assert after.events[uid]["sequence"] == before.events[uid]["sequence"] + 1


def test_completing_a_task_drops_it_and_the_feed_is_no_longer_fresh(
    client: FlaskClient, comet: Launch, org: Any, issue_feed: Any, fetch: Any, session: Session
) -> None:
    owner = org.leads["product"]
    feed = issue_feed(owner)
    task = first_task(session, owner)
    uid = f"task-{task.id}.person@127.0.0.1"
    before = fetch(feed.path())
    set_status(session, task.id, "done", actor=owner, now=now())
    session.commit()
    assert not still_fresh(client, feed.path(), before)
    after = fetch(feed.path())
    assert uid not in after.events
    assert set(after.events) == set(before.events) - {uid}
    assert still_fresh(client, feed.path(), after)
    set_status(session, task.id, "in_progress", actor=owner, now=now())
    session.commit()
    reopened = fetch(feed.path())
    assert reopened.events[uid]["sequence"] == before.events[uid]["sequence"]
    assert "Status: in progress" in reopened.events[uid]["description"]


def test_a_deleted_task_drops_out(
    client: FlaskClient, comet: Launch, org: Any, issue_feed: Any, fetch: Any, session: Session
) -> None:
    owner = org.leads["product"]
    feed = issue_feed(owner)
    task = first_task(session, owner)
    before = fetch(feed.path())
    session.delete(task)
    session.commit()
    assert not still_fresh(client, feed.path(), before)
    assert f"task-{task.id}.person@127.0.0.1" not in fetch(feed.path()).events


def test_reassigning_moves_the_task_between_person_feeds_with_its_uid(
    client: FlaskClient, comet: Launch, org: Any, issue_feed: Any, fetch: Any, session: Session
) -> None:
    old, new = org.leads["product"], org.members["product"]
    old_feed, new_feed = issue_feed(old), issue_feed(new)
    task = first_task(session, old)
    uid = f"task-{task.id}.person@127.0.0.1"
    old_before, new_before = fetch(old_feed.path()), fetch(new_feed.path())
    assert uid in old_before.events and uid not in new_before.events
    set_assignee(session, task.id, new, actor=org.pm, now=now())
    session.commit()
    assert not still_fresh(client, old_feed.path(), old_before)
    assert not still_fresh(client, new_feed.path(), new_before)
    assert uid not in fetch(old_feed.path()).events
    moved = fetch(new_feed.path()).events[uid]
    assert moved["sequence"] == old_before.events[uid]["sequence"]
    assert f"Assignee: {new.name}" in moved["description"]


def test_remapping_a_role_in_bulk_is_seen_by_both_people(
    client: FlaskClient, comet: Launch, org: Any, issue_feed: Any, fetch: Any, session: Session
) -> None:
    old, new = org.leads["support"], org.members["support"]
    old_feed, new_feed = issue_feed(old), issue_feed(new)
    old_before, new_before = fetch(old_feed.path()), fetch(new_feed.path())
    role = session.scalars(select(Task.role).where(Task.assignee_id == old.id)).first()
    assert role is not None
    remap_role(session, comet.id, role, new, expected_version=None, actor=org.pm, now=now())
    session.commit()
    assert not still_fresh(client, old_feed.path(), old_before)
    assert not still_fresh(client, new_feed.path(), new_before)
    assert set(fetch(new_feed.path()).events) > set(new_before.events)


def test_renaming_the_launch_changes_summaries_not_uids(
    comet: Launch, org: Any, issue_feed: Any, fetch: Any, session: Session
) -> None:
    feed = issue_feed(org.leads["marketing"], "team:marketing")
    before = fetch(feed.path())
    rename_launch(session, comet.id, "Comet 2", expected_version=None, actor=org.pm, now=now())
    session.commit()
    after = fetch(feed.path())
    assert after.etag != before.etag
    assert set(after.events) == set(before.events)
    assert all(e["summary"].startswith("[Comet 2] ") for e in after.events.values())


def test_leaving_the_team_stops_its_feed(
    client: FlaskClient, comet: Launch, org: Any, issue_feed: Any, session: Session
) -> None:
    member = org.members["sales"]
    feed = issue_feed(member, "team:sales")
    assert client.get(feed.path()).status_code == 200
    team = session.scalars(select(Team).where(Team.key == "sales")).one()
    remove_from_team(session, member, team)
    session.commit()
    gone = client.get(feed.path())
    assert gone.status_code == 404
    assert gone.data == client.get("/cal/unknown/feed.ics").data
    add_to_team(session, member, team)
    session.commit()
    assert client.get(feed.path()).status_code == 200


def test_rotating_a_token_keeps_uids_sequences_and_the_etag(
    client: FlaskClient, comet: Launch, org: Any, issue_feed: Any, fetch: Any, session: Session
) -> None:
    owner = org.leads["product"]
    feed = issue_feed(owner)
    before = fetch(feed.path())
    rotated = rotate_feed_token(session, feed.id, actor=owner, now=now())
    session.commit()
    assert client.get(feed.path()).status_code == 404
    new_path = f"/cal/{rotated.secret}/feed.ics"
    after = fetch(new_path)
    assert after.events == before.events
    assert after.etag == before.etag  # same bytes, same strong validator
    assert client.get(new_path, headers={"If-None-Match": before.etag}).status_code == 304


def test_the_window_moves_with_time_and_always_keeps_overdue_open_tasks(
    comet: Launch, org: Any, issue_feed: Any, session: Session
) -> None:
    feed = issue_feed(org.pm, f"launch:{comet.id}")

    def seen(at: datetime) -> tuple[str, bytes]:
        opened = open_feed(session.connection(), feed.secret, "event", base_url=BASE, now=at)
        assert opened is not None
        body = build_feed(session.connection(), opened).body
        assert body == render_from_scratch(session, opened)
        return opened.etag, body

    early_tag, early = seen(datetime(2026, 2, 10, tzinfo=UTC))  # sees up to 2027-02-10
    later_tag, later = seen(datetime(2026, 6, 1, tzinfo=UTC))  # sees every task
    assert early_tag != later_tag
    assert early.count(b"BEGIN:VEVENT") < later.count(b"BEGIN:VEVENT")
    assert b"Knowledge base articles published" not in early
    long_after = datetime(2029, 1, 1, tzinfo=UTC) + timedelta(days=3)
    overdue_tag, overdue = seen(long_after)
    assert overdue.count(b"BEGIN:VEVENT") == later.count(b"BEGIN:VEVENT")  # all overdue, kept
    assert overdue_tag != later_tag
