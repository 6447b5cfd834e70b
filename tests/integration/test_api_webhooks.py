"""Outbound event webhooks: `/api/v1/webhooks`, launch events in the outbox, signed delivery."""

from __future__ import annotations

import json
import time
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock
from typing import Any

import pytest
import redis
from flask import Flask
from pytest_httpserver import HTTPServer
from sqlalchemy import select
from sqlalchemy.orm import Session

from launchpad.db import make_session_factory
from launchpad.extensions import get_state
from launchpad.models import Destination, OutboxMessage, Task, User
from launchpad.outbound.signing import verify
from launchpad.services.alert_routes import Routes
from launchpad.services.delivery_claims import claim_due_messages
from launchpad.services.destinations import NewDestination, create_destination
from launchpad.services.launch_status import set_launch_status, sign_off
from launchpad.services.overdue_events import announce_overdue
from launchpad.services.people import create_user
from launchpad.services.rescheduling import reschedule_launch
from launchpad.services.task_changes import pin_due_date, set_status
from launchpad.services.webhooks import create_webhook
from workflows.context import JobContext
from workflows.cron import TICKS
from workflows.notifications import deliver_message
from workflows.reminders import overdue_events

from .conftest import NOW, Call, MakeLaunch, Org, complete_task
from .kpi.conftest import FAST

LAUNCH = {"template": "feature-release", "name": "Comet", "launch_date": "2027-03-02"}


@pytest.fixture
def admin(session: Session) -> User:
    user = create_user(
        session, email="admin@example.com", password=None, role="admin", now=datetime.now(UTC)
    )
    session.commit()
    return user


@pytest.fixture
def ctx(app: Flask, redis_conn: redis.Redis) -> JobContext:
    """A delivery job's context on the app's database and with the app's secret key."""
    state = get_state(app)
    return JobContext(make_session_factory(state.engine), state.settings, FAST, redis_conn)


def deliver_due(ctx: JobContext) -> list[str]:
    """What dispatch + the delivery jobs do, without the RQ hop (as the KPI delivery tests)."""
    with ctx.sessions() as session:
        claims = claim_due_messages(session, ctx.now(), ctx.tuning.delivery_lease, 100)
        session.commit()
    return [deliver_message(ctx, claim.message_id, claim.token) for claim in claims]


def outbox(session: Session) -> list[OutboxMessage]:
    session.commit()  # a fresh snapshot: the requests wrote in their own sessions
    return list(session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def register(api: Call, admin: User, url: str, events: list[str], **more: Any) -> Any:
    body = {"url": url, "events": events, "allow_private": True, **more}
    return api("POST", "/api/v1/webhooks", json=body, as_=admin)


def test_launch_events_are_queued_and_delivered_signed(
    api: Call, admin: User, session: Session, ctx: JobContext, httpserver: HTTPServer
) -> None:
    httpserver.expect_request("/hook", method="POST").respond_with_data("ok")
    created = register(
        api,
        admin,
        httpserver.url_for("/hook"),
        ["launch.created", "task.completed"],
        description="CI receiver",
    )
    assert created.status_code == 201, created.json
    hook_id, secret = created.json["id"], created.json["secret"]
    assert secret.startswith("whsec_")
    assert created.headers["Location"] == f"/api/v1/webhooks/{hook_id}"
    shown = api("GET", f"/api/v1/webhooks/{hook_id}", as_=admin)
    assert shown.status_code == 200 and "secret" not in shown.json
    assert shown.json["events"] == ["launch.created", "task.completed"]

    launch = api("POST", "/api/v1/launches", json=LAUNCH)
    assert launch.status_code == 201, launch.json
    launch_id = launch.json["id"]
    task = api("GET", f"/api/v1/tasks?launch={launch_id}&per_page=1").json["items"][0]
    done = complete_task(api, task)
    assert done.status_code == 200, done.json
    messages = outbox(session)
    assert [(m.event_type, m.idempotency_key) for m in messages] == [
        ("launch.created", f"launch.created-{launch_id}-{hook_id}"),
        ("task.completed", f"task.completed-{task['id']}-{task['version'] + 1}-{hook_id}"),
    ]
    assert messages[1].payload["task"]["id"] == task["id"]
    assert messages[1].payload["launch"]["name"] == "Comet"

    assert deliver_due(ctx) == ["delivered", "delivered"]
    assert len(httpserver.log) == 2
    for request, _ in httpserver.log:
        assert verify(secret, dict(request.headers), request.get_data(), int(time.time()))
        assert not verify("whsec_" + "A" * 44, dict(request.headers), request.get_data(), 0)
    bodies = [json.loads(request.get_data()) for request, _ in httpserver.log]
    assert sorted(body["type"] for body in bodies) == ["launch.created", "task.completed"]
    ids = {request.headers["webhook-id"] for request, _ in httpserver.log}
    assert ids == {m.idempotency_key for m in messages}

    log = api("GET", f"/api/v1/webhooks/{hook_id}/deliveries?per_page=1", as_=admin)
    assert log.status_code == 200
    assert log.json["pagination"]["total"] == 2 and 'rel="next"' in log.headers["Link"]
    (newest,) = log.json["items"]
    assert newest["event_type"] == "task.completed" and newest["status"] == "delivered"
    assert newest["attempts"][0]["verdict"] == "delivered"
    assert newest["attempts"][0]["status_code"] == 200


def test_unsubscribed_events_and_kpi_only_destinations(
    api: Call, admin: User, session: Session
) -> None:
    register(api, admin, "https://hooks.example.com/a", ["task.completed"])
    kpi_only, _ = create_destination(
        session,
        NewDestination("webhook", "KPI alerts", "https://hooks.example.com/kpi"),
        secret_key="unused-key-0123456789",
        now=datetime.now(UTC),
    )
    session.commit()
    assert api("POST", "/api/v1/launches", json=LAUNCH).status_code == 201
    assert outbox(session) == []  # nobody wants launch.created; the KPI webhook hears none
    # and the KPI alert routes skip a destination that wants launch events only
    routes = Routes.load(session, [], {})
    routed = [d.id for d in routes.by_launch.get(None, [])]
    assert routed == [kpi_only.id]


def test_ping_patch_and_delete(
    api: Call, admin: User, session: Session, ctx: JobContext, httpserver: HTTPServer
) -> None:
    httpserver.expect_request("/ping", method="POST").respond_with_data("pong")
    created = register(api, admin, httpserver.url_for("/ping"), ["gate.signed_off"])
    hook_id, secret = created.json["id"], created.json["secret"]
    pinged = api("POST", f"/api/v1/webhooks/{hook_id}/ping", as_=admin)
    assert pinged.status_code == 202 and pinged.json["event_type"] == "webhook.ping"
    assert deliver_due(ctx) == ["delivered"]
    ((request, _),) = httpserver.log
    assert verify(secret, dict(request.headers), request.get_data(), int(time.time()))
    assert json.loads(request.get_data())["data"]["webhook_id"] == hook_id

    path = f"/api/v1/webhooks/{hook_id}"
    changed = api("PATCH", path, json={"events": ["launch.created"], "enabled": False}, as_=admin)
    assert changed.status_code == 200
    assert changed.json["events"] == ["launch.created"] and changed.json["enabled"] is False
    assert api("POST", "/api/v1/launches", json=LAUNCH).status_code == 201
    assert [m.event_type for m in outbox(session)] == ["webhook.ping"]  # disabled: nothing
    listed = api("GET", "/api/v1/webhooks", as_=admin)
    assert [item["id"] for item in listed.json["items"]] == [hook_id]
    assert api("DELETE", path, as_=admin).status_code == 204
    assert api("GET", path, as_=admin).status_code == 404
    session.commit()
    assert session.get(Destination, hook_id) is None and outbox(session) == []


def test_non_admins_get_403_and_bad_input_422(api: Call, admin: User, org: Org) -> None:
    refused = api("GET", "/api/v1/webhooks", as_=org.pm)
    assert refused.status_code == 403 and refused.content_type == "application/problem+json"
    body = {"url": "https://hooks.example.com/x", "events": ["launch.created"]}
    assert api("POST", "/api/v1/webhooks", json=body, as_=org.pm).status_code == 403
    unknown = register(api, admin, "https://hooks.example.com/x", ["launch.exploded"])
    assert unknown.status_code == 422 and unknown.content_type == "application/problem+json"
    assert "events" in json.dumps(unknown.json)
    assert register(api, admin, "https://hooks.example.com/x", []).status_code == 422
    private = api(
        "POST",
        "/api/v1/webhooks",
        json={"url": "http://127.0.0.1:9/x", "events": ["launch.created"]},
        as_=admin,
    )
    assert private.status_code == 422  # private addresses need the admin's allowance
    assert api("GET", "/api/v1/webhooks/999999", as_=admin).status_code == 404


def test_reschedule_status_and_sign_off_events(
    session: Session, make_launch: MakeLaunch, org: Org, admin: User
) -> None:
    launch = make_launch()
    hook, _ = create_webhook(
        session,
        url="https://hooks.example.com/all",
        events=["launch.rescheduled", "launch.status_changed", "gate.signed_off"],
        launch_id=launch.id,
        description="",
        allow_private=False,
        secret_key="unused-key-0123456789",
        now=datetime.now(UTC),
    )
    session.commit()
    now = datetime.now(UTC)
    reschedule_launch(
        session,
        launch.id,
        date(2027, 3, 9),
        expected_version=None,
        actor=org.pm,
        now=now,
        apply=True,
    )
    set_launch_status(session, launch.id, "launched", expected_version=None, actor=org.pm, now=now)
    sign_off(session, launch.id, "engineering", actor=org.leads["engineering"], now=now)
    sign_off(session, launch.id, "engineering", actor=org.leads["engineering"], now=now)
    messages = outbox(session)
    assert [m.event_type for m in messages] == [
        "launch.rescheduled",
        "launch.status_changed",
        "gate.signed_off",
    ]
    assert messages[0].payload["previous_launch_date"] == "2027-03-02"
    assert messages[0].payload["launch"]["launch_date"] == "2027-03-09"
    assert messages[1].payload["previous_status"] == "scheduled"
    assert messages[2].payload["team"]["key"] == "engineering"
    assert all(m.destination_id == hook.id for m in messages)


# --- task.overdue -------------------------------------------------------------------


def _hook(session: Session, events: list[str], launch_id: int | None = None) -> Destination:
    hook, _ = create_webhook(
        session,
        url="https://hooks.example.com/overdue",
        events=events,
        launch_id=launch_id,
        description="",
        allow_private=False,
        secret_key="unused-key-0123456789",
        now=datetime.now(UTC),
    )
    session.commit()
    return hook


def _overdue_keys(session: Session) -> set[str]:
    return {m.idempotency_key for m in outbox(session) if m.event_type == "task.overdue"}


def test_task_overdue_once_per_due_date_in_the_launch_time_zone(
    session: Session, make_launch: MakeLaunch, org: Org
) -> None:
    launch = make_launch()  # Europe/Berlin, UTC+1 in the weeks before 2027-03-02
    other = make_launch(name="Elsewhere")
    tasks = list(session.scalars(select(Task).where(Task.launch_id == launch.id)))
    day = sorted({t.due_date for t in tasks if t.due_date < launch.launch_date})[-3]
    assert announce_overdue(session, datetime(2027, 1, 1, tzinfo=UTC)) == 0  # nobody listens
    hook = _hook(session, ["task.overdue"], launch_id=launch.id)

    # 22:30 UTC is still `day` in Berlin: the tasks due that day are not late yet
    before_midnight = datetime.combine(day, clock(22, 30), tzinfo=UTC)
    announce_overdue(session, before_midnight)
    session.commit()
    late = {t.id for t in tasks if day - timedelta(days=7) <= t.due_date < day}
    assert late, "the template should have tasks in the week before"
    assert _overdue_keys(session) == {
        f"task.overdue-{t.id}-{t.due_date.isoformat()}-{hook.id}" for t in tasks if t.id in late
    }

    # 23:30 UTC is past midnight in Berlin: the day's tasks join, each event once
    after_midnight = before_midnight + timedelta(hours=1)
    due_that_day = {t.id for t in tasks if t.due_date == day}
    assert announce_overdue(session, after_midnight) == len(due_that_day)
    assert announce_overdue(session, after_midnight) == 0
    session.commit()
    messages = [m for m in outbox(session) if m.event_type == "task.overdue"]
    assert len(messages) == len(late | due_that_day)
    assert {m.payload["task"]["id"] for m in messages} == late | due_that_day
    assert all(m.payload["launch"]["id"] == launch.id for m in messages)
    assert {m.payload["task"]["due_date"] for m in messages} <= {
        (day - timedelta(days=n)).isoformat() for n in range(8)
    }
    assert other.id not in {m.payload["launch"]["id"] for m in messages}  # hook is scoped

    # moved to a later date and missed again: a new event; done tasks never are late
    moved = session.get_one(Task, next(iter(due_that_day)))
    later = day + timedelta(days=2)
    pin_due_date(session, moved.id, later, actor=org.pm, now=after_midnight)
    session.commit()
    written = announce_overdue(session, datetime.combine(later, clock(23, 30), tzinfo=UTC))
    session.commit()
    assert f"task.overdue-{moved.id}-{later.isoformat()}-{hook.id}" in _overdue_keys(session)
    assert written >= 1


def test_task_overdue_skips_settled_tasks_and_cancelled_launches(
    session: Session, make_launch: MakeLaunch, org: Org
) -> None:
    launch = make_launch()
    cancelled = make_launch(name="Dropped")
    _hook(session, ["task.overdue", "task.completed"])
    tasks = list(session.scalars(select(Task).where(Task.launch_id == launch.id)))
    day = sorted({t.due_date for t in tasks if t.due_date < launch.launch_date})[-3]
    settled = [t for t in tasks if t.due_date == day]
    for task in settled:
        set_status(session, task.id, "done", actor=org.pm, now=NOW)
    set_launch_status(
        session, cancelled.id, "cancelled", expected_version=None, actor=org.pm, now=NOW
    )
    session.commit()
    announce_overdue(session, datetime.combine(day + timedelta(days=1), clock(12), tzinfo=UTC))
    session.commit()
    ids = {m.payload["task"]["id"] for m in outbox(session) if m.event_type == "task.overdue"}
    assert ids and not ids & {t.id for t in settled}
    cancelled_ids = set(session.scalars(select(Task.id).where(Task.launch_id == cancelled.id)))
    assert not ids & cancelled_ids


def test_the_overdue_tick_delivers_signed_events(
    session: Session,
    make_launch: MakeLaunch,
    org: Org,
    api: Call,
    admin: User,
    ctx: JobContext,
    httpserver: HTTPServer,
) -> None:
    httpserver.expect_request("/late", method="POST").respond_with_data("ok")
    secret = register(api, admin, httpserver.url_for("/late"), ["task.overdue"]).json["secret"]
    today = datetime.now(UTC).date()
    launch = make_launch(launch_date=today + timedelta(days=30))
    task = session.scalars(select(Task).where(Task.launch_id == launch.id)).first()
    assert task is not None
    pin_due_date(session, task.id, today - timedelta(days=2), actor=org.pm, now=datetime.now(UTC))
    session.commit()
    assert overdue_events(ctx) >= 1
    assert "announce_overdue_tasks" in {tick.func.rsplit(".", 1)[1] for tick in TICKS}
    assert set(deliver_due(ctx)) == {"delivered"}
    bodies = []
    for request, _ in httpserver.log:
        assert verify(secret, dict(request.headers), request.get_data(), int(time.time()))
        bodies.append(json.loads(request.get_data()))
    assert {body["type"] for body in bodies} == {"task.overdue"}
    assert task.id in {body["data"]["task"]["id"] for body in bodies}
