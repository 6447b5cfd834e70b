"""Delivering the outbox to a real HTTP receiver and a real SMTP server."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime

import pytest
from aiosmtpd.controller import Controller
from pytest_httpserver import HTTPServer
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug import Request, Response

from launchpad.models import DeliveryAttempt, Destination, OutboxMessage
from launchpad.outbound.signing import verify
from launchpad.services.delivery_claims import claim_due_messages, reap_expired_deliveries
from launchpad.services.destinations import NewDestination, create_destination
from launchpad.services.errors import InvalidInput
from launchpad.services.inbox import list_notifications, mark_read, unread_count
from launchpad.services.outbox import publish_event
from workflows.context import JobContext
from workflows.notifications import deliver_message

SECRET = "test-secret-key-0123456789"


def destination(
    session: Session, ctx: JobContext, kind: str, address: str = "", **more
) -> Destination:
    new = NewDestination(kind, f"{kind} test", address, allow_private=True, **more)
    made, _ = create_destination(session, new, secret_key=SECRET, now=ctx.now())
    session.commit()
    return made


def publish(session: Session, ctx: JobContext, target: Destination, key: str = "evt-1") -> None:
    payload = {"title": "Launch created", "path": "/launches/1", "recipients": []}
    publish_event(
        session,
        key=key,
        event_type="launch.created",
        payload=payload,
        destinations=[target],
        now=ctx.now(),
    )
    session.commit()


def deliver_due(ctx: JobContext) -> list[str]:
    """What dispatch + the delivery jobs do, without the RQ hop (tested elsewhere)."""
    with ctx.sessions() as session:
        claims = claim_due_messages(session, ctx.now(), ctx.tuning.delivery_lease, 100)
        session.commit()
    return [deliver_message(ctx, claim.message_id, claim.token) for claim in claims]


def message(session: Session) -> OutboxMessage:
    session.commit()  # end the read snapshot: the jobs wrote in their own sessions
    found = session.scalar(select(OutboxMessage))
    assert found is not None
    return found


def test_a_signed_webhook_verifies_with_the_destination_secret(
    session, ctx, httpserver: HTTPServer
):
    httpserver.expect_request("/hook", method="POST").respond_with_data("ok")
    new = NewDestination("webhook", "hook", httpserver.url_for("/hook"), allow_private=True)
    made, secret = create_destination(session, new, secret_key=SECRET, now=ctx.now())
    session.commit()
    publish(session, ctx, made)
    assert deliver_due(ctx) == ["delivered"]
    ((request, _),) = httpserver.log
    assert secret and verify(secret, dict(request.headers), request.get_data(), int(time.time()))
    assert request.headers["webhook-id"] == f"evt-1-{made.id}"
    body = json.loads(request.get_data())
    assert body["type"] == "launch.created" and body["data"]["title"] == "Launch created"


def test_500_500_200_is_retried_with_backoff_then_delivered(session, ctx, clock, httpserver):
    for status in (500, 500, 200):
        httpserver.expect_ordered_request("/hook").respond_with_data("", status=status)
    publish(session, ctx, destination(session, ctx, "webhook", httpserver.url_for("/hook")))
    assert deliver_due(ctx) == ["retry"]
    assert deliver_due(ctx) == []  # not yet: the backoff is in the row
    waited = (message(session).next_attempt_at - clock()).total_seconds()
    assert 0.5 <= waited <= 1.0  # base 1 s, equal jitter
    clock.advance(1)
    assert deliver_due(ctx) == ["retry"]
    clock.advance(2)
    assert deliver_due(ctx) == ["delivered"]
    ids = {request.headers["webhook-id"] for request, _ in httpserver.log}
    assert len(ids) == 1 and message(session).attempts == 3
    verdicts = session.scalars(select(DeliveryAttempt.verdict).order_by(DeliveryAttempt.id)).all()
    assert verdicts == ["retry", "retry", "delivered"]


def test_410_disables_the_destination(session, ctx, httpserver):
    httpserver.expect_request("/hook").respond_with_data("", status=410)
    target = destination(session, ctx, "webhook", httpserver.url_for("/hook"))
    publish(session, ctx, target, "a")
    publish(session, ctx, target, "b")
    assert deliver_due(ctx)[0] == "gone"
    session.expire_all()
    assert not session.get_one(Destination, target.id).enabled
    assert deliver_due(ctx) == []  # the other message waits for the destination to return


def test_429_with_retry_after_is_honoured(session, ctx, clock, httpserver):
    httpserver.expect_request("/hook").respond_with_data(
        "", status=429, headers={"Retry-After": "7"}
    )
    publish(session, ctx, destination(session, ctx, "webhook", httpserver.url_for("/hook")))
    assert deliver_due(ctx) == ["retry"]
    assert (message(session).next_attempt_at - clock()).total_seconds() == 7


def test_other_4xx_is_not_retried(session, ctx, httpserver):
    httpserver.expect_request("/hook").respond_with_data("", status=400)
    publish(session, ctx, destination(session, ctx, "webhook", httpserver.url_for("/hook")))
    assert deliver_due(ctx) == ["failed"]
    assert message(session).status == "failed"


def test_a_receiver_hanging_past_the_read_timeout_is_retried(session, ctx, httpserver):
    answered = threading.Event()

    def hang(_request: Request) -> Response:
        time.sleep(1.0)  # the read timeout is 0.5 s
        answered.set()
        return Response("late")

    httpserver.expect_request("/hook").respond_with_handler(hang)
    publish(session, ctx, destination(session, ctx, "webhook", httpserver.url_for("/hook")))
    started = time.monotonic()
    assert deliver_due(ctx) == ["retry"]
    assert time.monotonic() - started < 0.9
    assert "timed out" in (message(session).last_error or "")
    assert answered.wait(5)  # let the server finish before the next test uses it


def test_slack_gets_slacks_payload(session, ctx, httpserver):
    httpserver.expect_request("/slack").respond_with_data("ok")
    publish(session, ctx, destination(session, ctx, "slack", httpserver.url_for("/slack")))
    assert deliver_due(ctx) == ["delivered"]
    body = json.loads(httpserver.log[0][0].get_data())
    assert body["text"].startswith("Launch created") and body["blocks"][0]["type"] == "section"
    assert "webhook-signature" not in httpserver.log[0][0].headers


def test_private_addresses_need_an_admins_allowance(session, ctx):
    for url in ("http://127.0.0.1:9/x", "http://localhost/x", "http://169.254.169.254/latest"):
        with pytest.raises(InvalidInput):
            create_destination(
                session, NewDestination("webhook", "x", url), secret_key=SECRET, now=ctx.now()
            )


def test_a_name_resolving_to_a_private_address_is_refused_at_delivery(session, ctx):
    made = destination(session, ctx, "webhook", f"http://{socket.gethostname()}:9/hook")
    made.allow_private = False
    session.commit()
    publish(session, ctx, made)
    assert deliver_due(ctx) == ["failed"]
    assert "refused" in (message(session).last_error or "")


def test_a_reaped_delivery_is_sent_again_with_the_same_id(session, ctx, clock, httpserver):
    httpserver.expect_request("/hook").respond_with_data("ok")
    publish(session, ctx, destination(session, ctx, "webhook", httpserver.url_for("/hook")))
    with ctx.sessions() as other:
        lost = claim_due_messages(other, clock(), ctx.tuning.delivery_lease, 10)  # worker dies
        other.commit()
    clock.advance(ctx.tuning.delivery_lease_seconds + 1)
    with ctx.sessions() as other:
        assert reap_expired_deliveries(other, clock()) == 1
        other.commit()
    assert deliver_due(ctx) == ["delivered"]
    assert deliver_message(ctx, lost[0].message_id, lost[0].token) == "not claimed"
    assert message(session).status == "delivered" and len(httpserver.log) == 1


class Inbox:
    def __init__(self) -> None:
        self.messages: list[bytes] = []

    async def handle_DATA(self, server: object, session: object, envelope: object) -> str:
        self.messages.append(envelope.content)  # type: ignore[attr-defined]
        return "250 OK"


@pytest.fixture
def smtp() -> Iterator[tuple[str, Inbox]]:
    inbox = Inbox()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield f"smtp://127.0.0.1:{controller.port}", inbox
    finally:
        controller.stop()


def test_email_over_smtp_has_a_deterministic_message_id(session, ctx, smtp):
    url, inbox = smtp
    mail_ctx = replace(ctx, settings=replace(ctx.settings, smtp_url=url))
    target = destination(session, ctx, "email", "ops@example.com, pm@example.com")
    publish(session, ctx, target)
    assert deliver_due(mail_ctx) == ["delivered"]
    (raw,) = inbox.messages
    assert f"Message-ID: <evt-1-{target.id}@127.0.0.1>".encode() in raw
    assert b"Subject: [Launchpad] Launch created" in raw


def test_email_without_smtp_is_logged_and_settled(session, ctx):
    publish(session, ctx, destination(session, ctx, "email", "ops@example.com"))
    assert deliver_due(ctx) == ["delivered"]
    assert "no SMTP server" in (message(session).last_error or "")


def test_in_app_delivery_fills_the_inbox_once(session, ctx, clock, org):
    target = destination(session, ctx, "in_app")
    payload = {"title": "Hello", "path": "/", "recipients": [org.pm.id, org.leads["sales"].id]}
    publish_event(
        session, key="hi", event_type="note", payload=payload, destinations=[target], now=clock()
    )
    session.commit()
    with ctx.sessions() as other:
        (claim,) = claim_due_messages(other, clock(), ctx.tuning.delivery_lease, 10)
        other.commit()
    assert deliver_message(ctx, claim.message_id, claim.token) == "delivered"
    assert deliver_message(ctx, claim.message_id, claim.token) == "not claimed"
    assert unread_count(session, org.pm.id) == 1
    (note,) = list_notifications(session, org.pm.id)
    assert note.title == "Hello"
    assert mark_read(session, org.pm.id, datetime.now(UTC)) == 1
    assert unread_count(session, org.pm.id) == 0
