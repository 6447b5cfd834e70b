"""The KPI screens: the panel with its chart, typed-in values, mute and policy, the inbox,
alert destinations with a test button that reaches a real receiver, failed deliveries."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from flask import Flask
from pytest_httpserver import HTTPServer
from redis import Redis
from sqlalchemy import Engine, select, update
from sqlalchemy.orm import Session

from launchpad.db import make_session_factory
from launchpad.extensions import get_state
from launchpad.models import (
    Destination,
    KpiTarget,
    Launch,
    Measurement,
    Notification,
    OutboxMessage,
    User,
)
from launchpad.services.check_claims import claim_due_checks
from launchpad.services.check_evaluation import evaluate_checks
from launchpad.services.check_schedule import add_check
from launchpad.services.delivery_claims import claim_due_messages
from launchpad.services.destinations import NewDestination, create_destination, send_test
from launchpad.services.measurements import NewMeasurement, record_measurement
from launchpad.tuning import Tuning
from workflows.context import JobContext
from workflows.notifications import deliver_message

from .conftest import MakeLaunch
from .web_support import People, Web, fresh, people_fixture, web_as_fixture  # noqa: F401  (fixtures)

WebAs = Callable[[User | None], Web]
T0 = datetime(2027, 3, 9, 8, 0, tzinfo=UTC)


def target(session: Session, launch: Launch, **values: object) -> KpiTarget:
    fields: dict[str, object] = {
        "launch_id": launch.id,
        "key": "signups-week",
        "name": "Signups in week one",
        "metric": "signups",
        "comparator": ">=",
        "threshold": 100.0,
        "unit": "users",
        "role": "pm",
        "created_at": T0,
        "grace_seconds": 0,
        **values,
    }
    made = KpiTarget(**fields)
    session.add(made)
    session.flush()
    add_check(session, made, T0, final=False)
    session.commit()
    return made


def push(session: Session, launch: Launch, value: float, at: datetime) -> None:
    item = NewMeasurement("signups", value, at)
    record_measurement(session, launch.id, item, source="api", now=at)
    session.commit()


def test_the_panel_shows_state_last_value_and_chart(
    web_as: WebAs, people: People, make_launch: MakeLaunch, session: Session
) -> None:
    launch = make_launch()
    made = target(session, launch)
    push(session, launch, 40, T0 - timedelta(hours=2))
    push(session, launch, 60, T0 - timedelta(hours=1))
    claim = claim_due_checks(session, T0, timedelta(minutes=1), 100)
    session.commit()
    assert claim is not None
    evaluate_checks(session, claim.ids, T0)
    session.commit()
    web = web_as(people.viewer)
    assert f"/launches/{launch.id}/kpis" in web.text(f"/launches/{launch.id}")
    body = web.text(f"/launches/{launch.id}/kpis")
    section = body.split(f'id="kpi-{made.key}"', 1)[1].split("</section>", 1)[0]
    assert "FIRING" in section and "60 users" in section
    assert "signups &gt;= 100" in section
    assert "<svg" in section and 'stroke-dasharray="4 3"' in section
    points = re.search(r'<polyline class="kpi-series" points="([^"]+)"', section)
    assert points and len(points.group(1).split()) == 2
    assert "style=" not in body and "<script>" not in body  # strict CSP: nothing inline


def test_typing_a_value_stores_it(
    web_as: WebAs, people: People, make_launch: MakeLaunch, session: Session
) -> None:
    launch = make_launch()
    target(session, launch)
    url = f"/launches/{launch.id}/kpis/values"
    web = web_as(people.member)
    response = web.post(url, {"metric": "signups", "value": "123.5"})
    assert response.status_code == 302
    bad = web.post(url, {"metric": "signups", "value": "lots"})
    assert bad.status_code == 400 and "Record value" in bad.get_data(as_text=True)
    fresh(session)
    stored = session.scalars(select(Measurement).where(Measurement.launch_id == launch.id)).one()
    assert (stored.metric, stored.value, stored.source) == ("signups", 123.5, "manual")
    assert stored.recorded_by_id == people.member.id
    assert "123.5" in web.text(f"/launches/{launch.id}/kpis")


def test_planners_mute_and_set_the_policy_viewers_cannot(
    web_as: WebAs, people: People, make_launch: MakeLaunch, session: Session
) -> None:
    launch = make_launch()
    made = target(session, launch)
    base = f"/launches/{launch.id}/kpis"
    until = (datetime.now(UTC) + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    viewer = web_as(people.viewer)
    assert "Type in a value" not in viewer.text(base) and "Mute until" not in viewer.text(base)
    assert viewer.post(f"{base}/values", {"metric": "signups", "value": "1"}).status_code == 403
    assert viewer.post(f"{base}/{made.id}/mute", {f"m{made.id}-until": until}).status_code == 403
    assert viewer.post(f"{base}/{made.id}/policy", {}).status_code == 403
    pm = web_as(people.pm)
    muted = pm.post(
        f"{base}/{made.id}/mute", {f"m{made.id}-until": until, f"m{made.id}-mute": "Mute"}
    )
    assert muted.status_code == 302
    policy = {
        f"t{made.id}-pending_evals": "3",
        f"t{made.id}-keep_firing_evals": "2",
        f"t{made.id}-repeat_minutes": "60",
    }
    assert pm.post(f"{base}/{made.id}/policy", policy).status_code == 302
    too_long = (datetime.now(UTC) + timedelta(days=365)).strftime("%Y-%m-%dT%H:%M")
    refused = pm.post(f"{base}/{made.id}/mute", {f"m{made.id}-until": too_long})
    assert refused.status_code == 400 and "90 days" in refused.get_data(as_text=True)
    fresh(session)
    saved = session.get_one(KpiTarget, made.id)
    assert saved.muted_until is not None and saved.muted_until > datetime.now(UTC)
    assert (saved.pending_evals, saved.keep_firing_evals, saved.repeat_interval_seconds) == (
        3,
        2,
        3600,
    )
    assert "muted until" in pm.text(base)


def test_the_inbox_shows_notifications_and_mark_read_drops_the_count(
    web_as: WebAs, people: People, session: Session
) -> None:
    for title in ("Signups missed the target", "Signups recovered"):
        session.add(
            Notification(user_id=people.pm.id, event_type="kpi.alert", title=title, created_at=T0)
        )
    session.commit()
    web = web_as(people.pm)
    body = web.text("/notifications")
    assert "Signups missed the target" in body and "2 unread" in body
    assert 'id="unread-count">2<' in body  # the header, on every page
    first = session.scalars(select(Notification).order_by(Notification.id)).first()
    assert first is not None
    assert web.post(f"/notifications/{first.id}/read").status_code == 302
    assert "1 unread" in web.text("/notifications")
    assert 'id="unread-count">1<' in web.text("/")
    assert web.post("/notifications/read").status_code == 302
    after = web.text("/notifications")
    assert "0 unread" in after and 'id="unread-count"' not in after
    assert "Signups missed the target" not in web.text("/notifications?unread=1")


def test_admins_create_a_webhook_and_the_test_reaches_it(
    web_as: WebAs,
    people: People,
    session: Session,
    app: Flask,
    engine: Engine,
    redis_conn: Redis,
    httpserver: HTTPServer,
) -> None:
    httpserver.expect_request("/hook", method="POST").respond_with_data("ok")
    web = web_as(people.admin)
    assert "Failed deliveries" in web.text("/admin/destinations")
    made = web.post(
        "/admin/destinations",
        {
            "kind": "webhook",
            "name": "Ops hook",
            "address": httpserver.url_for("/hook"),
            "audience": "business",
            "launch": "",
            "allow_private": "y",
        },
    )
    body = made.get_data(as_text=True)
    assert made.status_code == 200 and "whsec_" in body and "Ops hook" in body
    fresh(session)
    hook = session.scalars(select(Destination)).one()
    assert hook.allow_private and hook.enabled
    assert web.post(f"/admin/destinations/{hook.id}/test").status_code == 302
    ctx = JobContext(
        make_session_factory(engine),
        get_state(app).settings,
        Tuning(),
        redis_conn,
        lambda: datetime.now(UTC),
    )
    with ctx.sessions() as jobs:
        claims = claim_due_messages(jobs, ctx.now(), timedelta(minutes=1), 10)
        jobs.commit()
    assert [deliver_message(ctx, c.message_id, c.token) for c in claims] == ["delivered"]
    ((request, _),) = httpserver.log
    assert "Test notification for Ops hook" in request.get_data(as_text=True)
    assert web.post(f"/admin/destinations/{hook.id}/disable").status_code == 302
    fresh(session)
    assert not session.get_one(Destination, hook.id).enabled
    refused = web.post(
        "/admin/destinations",
        {"kind": "webhook", "name": "Private", "address": httpserver.url_for("/x")},
    )
    assert refused.status_code == 400


def test_failed_deliveries_are_listed_with_a_retry_button(
    web_as: WebAs, people: People, session: Session
) -> None:
    hook, _ = create_destination(
        session, NewDestination("email", "Ops", "ops@example.com"), secret_key="k" * 32, now=T0
    )
    send_test(session, hook.id, None, T0)
    session.execute(update(OutboxMessage).values(status="failed", last_error="refused"))
    session.commit()
    message = session.scalars(select(OutboxMessage)).one()
    web = web_as(people.admin)
    assert f'id="delivery-{message.id}"' in web.text("/admin/destinations")
    assert web.post(f"/admin/destinations/deliveries/{message.id}/retry").status_code == 302
    fresh(session)
    assert session.get_one(OutboxMessage, message.id).status == "pending"
    assert "No failed deliveries." in web.text("/admin/destinations")


def test_non_admins_get_403_on_destinations(web_as: WebAs, people: People) -> None:
    for who in (people.pm, people.member, people.viewer):
        web = web_as(who)
        assert web.get("/admin/destinations").status_code == 403
        assert web.post("/admin/destinations", {"kind": "email"}).status_code == 403
        assert web.post("/admin/destinations/1/test").status_code == 403
        assert web.post("/admin/destinations/deliveries/1/retry").status_code == 403
