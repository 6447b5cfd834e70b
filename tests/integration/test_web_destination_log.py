"""The delivery log of one alert destination or event webhook, for admins."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from flask import Flask
from pytest_httpserver import HTTPServer
from redis import Redis
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from launchpad.db import make_session_factory
from launchpad.extensions import get_state
from launchpad.models import User
from launchpad.services.delivery_claims import claim_due_messages
from launchpad.services.destinations import NewDestination, create_destination, send_test
from launchpad.tuning import Tuning
from workflows.context import JobContext
from workflows.notifications import deliver_message

from .web_support import People, Web, people_fixture, web_as_fixture  # noqa: F401  (fixtures)

WebAs = Callable[[User | None], Web]
T0 = datetime(2027, 3, 9, 8, 0, tzinfo=UTC)


def test_the_log_shows_each_message_with_its_attempts(
    web_as: WebAs,
    people: People,
    session: Session,
    app: Flask,
    engine: Engine,
    redis_conn: Redis,
    httpserver: HTTPServer,
) -> None:
    httpserver.expect_ordered_request("/hook").respond_with_data("busy", status=503)
    httpserver.expect_ordered_request("/hook").respond_with_data("ok")
    hook, _ = create_destination(
        session,
        NewDestination("webhook", "Ops <hook>", httpserver.url_for("/hook"), allow_private=True),
        secret_key=get_state(app).settings.secret_key,
        now=T0,
    )
    send_test(session, hook.id, None, datetime.now(UTC))
    session.commit()
    web = web_as(people.admin)
    listing = web.text("/admin/destinations")
    assert f'href="/admin/destinations/{hook.id}/deliveries"' in listing
    page = web.text(f"/admin/destinations/{hook.id}/deliveries")
    assert "Deliveries to Ops &lt;hook&gt;" in page and "<hook>" not in page  # escaped
    assert "kpi.test" in page and "none yet" in page

    clock = [datetime.now(UTC)]
    ctx = JobContext(
        make_session_factory(engine),
        get_state(app).settings,
        Tuning(),
        redis_conn,
        lambda: clock[0],
    )
    for _ in range(2):
        clock[0] += timedelta(hours=1)  # past the retry's backoff
        with ctx.sessions() as jobs:
            claims = claim_due_messages(jobs, ctx.now(), timedelta(minutes=1), 10)
            jobs.commit()
        for claim in claims:
            deliver_message(ctx, claim.message_id, claim.token)
    page = web.text(f"/admin/destinations/{hook.id}/deliveries")
    assert "(HTTP 503)" in page and "(HTTP 200)" in page
    assert page.index("(HTTP 503)") < page.index("(HTTP 200)")  # attempts oldest first
    assert ">delivered<" in page


def test_the_log_pages_by_fifty_newest_first(
    web_as: WebAs, people: People, session: Session
) -> None:
    email, _ = create_destination(
        session, NewDestination("email", "Ops", "ops@example.com"), secret_key="k" * 32, now=T0
    )
    for n in range(52):
        send_test(session, email.id, None, T0 + timedelta(seconds=n))
    session.commit()
    web = web_as(people.admin)
    first = web.text(f"/admin/destinations/{email.id}/deliveries")
    second = web.text(f"/admin/destinations/{email.id}/deliveries?page=2")
    assert first.count('id="delivery-') == 50 and second.count('id="delivery-') == 2
    assert f"test-{email.id}-20270309T080051" in first  # the newest on the first page
    assert f"test-{email.id}-20270309T080000" in second
    assert 'rel="next"' in first and 'rel="prev"' in second and 'rel="next"' not in second
    assert "No more messages." in web.text(f"/admin/destinations/{email.id}/deliveries?page=9")
    assert web.get(f"/admin/destinations/{email.id}/deliveries?page=x").status_code == 200


def test_only_admins_see_logs_of_shared_destinations(
    web_as: WebAs, people: People, session: Session
) -> None:
    email, _ = create_destination(
        session, NewDestination("email", "Ops", "ops@example.com"), secret_key="k" * 32, now=T0
    )
    session.commit()
    for who in (people.pm, people.member, people.viewer):
        assert web_as(who).get(f"/admin/destinations/{email.id}/deliveries").status_code == 403
    assert web_as(None).get(f"/admin/destinations/{email.id}/deliveries").status_code == 302
    admin = web_as(people.admin)
    assert admin.get("/admin/destinations/999999/deliveries").status_code == 404
