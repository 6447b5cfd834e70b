"""The feed HTTP contract: headers, HEAD, 304, uniform 404, 503, logs and query counts."""

from __future__ import annotations

import io
import json
import logging
import re
import threading
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Engine, event, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session
from werkzeug.serving import make_server

from launchpad import create_app
from launchpad.config import Settings
from launchpad.extensions import get_state
from launchpad.log_redaction import redact_feed_tokens
from launchpad.models import FeedToken, Task, Team, User
from launchpad.observability.log_format import stream_handler
from launchpad.services.feed_tokens import revoke_feed_token
from launchpad.services.feeds import open_feed
from launchpad.services.people import deactivate_user
from launchpad.web.security import HEADERS

BASE = "http://127.0.0.1:5000"


@contextmanager
def counted(engine: Engine) -> Iterator[list[str]]:
    """Every SQL statement the engine runs inside the block."""
    statements: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


@pytest.fixture
def owner(session: Session, org: Any, make_launch: Any) -> User:
    """The product lead, who is assigned tasks in the Comet launch."""
    make_launch()
    return org.leads["product"]


def test_a_feed_answers_with_the_calendar_headers_and_parses(
    client: FlaskClient, owner: User, issue_feed: Any, read_calendar: Any, session: Session
) -> None:
    feed = issue_feed(owner)
    response = client.get(feed.path("whatever-slug"))
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert response.headers["Cache-Control"] == "private, max-age=3600"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert response.headers["X-Robots-Tag"] == "noindex"
    assert response.headers["ETag"].startswith('"')  # strong: no W/ prefix
    assert "Last-Modified" in response.headers
    assert "Content-Encoding" not in response.headers
    assert "Set-Cookie" not in response.headers
    assert "Accept" not in response.headers.get("Vary", "")  # no content negotiation
    events = read_calendar(response.data)
    mine = session.scalars(select(Task.id).where(Task.assignee_id == owner.id)).all()
    assert sorted(e["uid"] for e in events) == sorted(f"task-{i}.person@127.0.0.1" for i in mine)
    assert all(e["url"].startswith("http://127.0.0.1:5000/launches/") for e in events)
    again = client.get(feed.path())
    assert again.data == response.data
    assert again.headers["ETag"] == response.headers["ETag"]


def test_head_gives_the_same_headers_and_no_body(
    client: FlaskClient, owner: User, issue_feed: Any
) -> None:
    feed = issue_feed(owner)
    got = client.get(feed.path())
    head = client.head(feed.path())
    assert head.status_code == 200
    assert head.data == b""
    assert head.headers["Content-Length"] == str(len(got.data))
    for name in ("Content-Type", "ETag", "Last-Modified", "Cache-Control", "X-Robots-Tag"):
        assert head.headers[name] == got.headers[name]


def test_a_matching_conditional_request_is_a_304_decided_before_building(
    app: Flask, client: FlaskClient, owner: User, issue_feed: Any
) -> None:
    feed = issue_feed(owner)
    first = client.get(feed.path())
    engine = get_state(app).engine
    with counted(engine) as statements:
        again = client.get(feed.path(), headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    assert again.data == b""
    assert again.headers["ETag"] == first.headers["ETag"]
    assert again.headers["Cache-Control"] == "private, max-age=3600"
    assert not any("task_events" in s for s in statements)  # nothing was built or rendered
    by_date = client.get(feed.path(), headers={"If-Modified-Since": first.headers["Last-Modified"]})
    assert by_date.status_code == 304
    other = client.get(feed.path(), headers={"If-None-Match": '"something-else"'})
    assert other.status_code == 200
    star = client.head(feed.path(), headers={"If-None-Match": "*"})
    assert star.status_code == 304


def test_a_revoked_token_stops_at_once_even_for_a_poller_holding_the_etag(
    client: FlaskClient, owner: User, issue_feed: Any, session: Session
) -> None:
    feed = issue_feed(owner)
    etag = client.get(feed.path()).headers["ETag"]
    assert client.get(feed.path(), headers={"If-None-Match": etag}).status_code == 304
    revoke_feed_token(session, feed.id, actor=owner, now=datetime.now(UTC))
    session.commit()
    assert client.get(feed.path(), headers={"If-None-Match": etag}).status_code == 404


def test_unknown_revoked_truncated_and_wrong_case_tokens_get_the_same_404(
    app: Flask, client: FlaskClient, owner: User, issue_feed: Any, session: Session
) -> None:
    live, revoked = issue_feed(owner), issue_feed(owner)
    revoke_feed_token(session, revoked.id, actor=owner, now=datetime.now(UTC))
    session.commit()
    paths = {
        "unknown": "/cal/" + "A" * 43 + "/feed.ics",
        "revoked": revoked.path(),
        "truncated": live.path()[:-12] + "/feed.ics",
        "wrong case": f"/cal/{live.secret.swapcase()}/feed.ics",
        "bad format": live.path(query="?format=xml"),
    }
    engine = get_state(app).engine
    answers, queries = {}, {}
    for name, path in paths.items():
        with counted(engine) as statements:
            response = client.get(path)
        answers[name] = (response.status_code, response.data, _headers(response.headers))
        queries[name] = statements[:2]
    assert len(set(answers.values())) == 1, answers
    status, body, headers = answers["unknown"]
    assert status == 404
    assert body == b"No calendar feed here.\n"
    assert dict(headers)["Cache-Control"] == "no-store"
    # the same statements in the same order: one hashed lookup, whatever the token
    assert len({tuple(q) for name, q in queries.items() if name != "bad format"}) == 1
    assert client.get(live.path()).status_code == 200


def test_a_database_fault_is_a_503_never_an_empty_200(
    app: Flask, client: FlaskClient, owner: User, issue_feed: Any, caplog: pytest.LogCaptureFixture
) -> None:
    feed = issue_feed(owner)

    def fail(*_args: Any) -> None:
        raise OperationalError("SELECT 1", {}, Exception("database is gone"))

    engine = get_state(app).engine
    event.listen(engine, "before_cursor_execute", fail)
    try:
        with caplog.at_level(logging.ERROR):
            response = client.get(feed.path())
    finally:
        event.remove(engine, "before_cursor_execute", fail)
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "300"
    assert response.headers["Content-Type"].startswith("text/plain")
    assert response.data
    assert feed.secret not in caplog.text
    assert "/cal/[redacted]/feed.ics" in caplog.text


def test_a_failing_poll_is_logged_under_its_request_id(
    app: Flask, client: FlaskClient, owner: User, issue_feed: Any
) -> None:
    feed = issue_feed(owner)
    stream = io.StringIO()
    handler = stream_handler("json", stream)
    logger = logging.getLogger("launchpad.web.calendar_feed")
    engine = get_state(app).engine

    def fail(*_args: Any) -> None:
        raise OperationalError("SELECT 1", {}, Exception("database is gone"))

    logger.addHandler(handler)
    event.listen(engine, "before_cursor_execute", fail)
    try:
        response = client.get(feed.path(), headers={"X-Request-ID": "poll-503"})
    finally:
        event.remove(engine, "before_cursor_execute", fail)
        logger.removeHandler(handler)
    assert response.status_code == 503
    assert response.headers["X-Request-ID"] == "poll-503"
    entry = json.loads(stream.getvalue().splitlines()[-1])
    assert entry["request_id"] == "poll-503"
    assert entry["message"] == "calendar feed failed: /cal/[redacted]/feed.ics"
    assert "OperationalError" in entry["error"] and feed.secret not in entry["error"]


def test_feed_answers_carry_the_app_wide_headers_and_request_ids(
    client: FlaskClient, owner: User, issue_feed: Any
) -> None:
    feed = issue_feed(owner)
    first = client.get(feed.path(), headers={"X-Request-ID": "poll-1"})
    again = client.get(feed.path(), headers={"If-None-Match": first.headers["ETag"]})
    missing = client.get("/cal/" + "A" * 43 + "/feed.ics", headers={"X-Request-ID": "bad id!"})
    assert (first.status_code, again.status_code, missing.status_code) == (200, 304, 404)
    assert first.headers["X-Request-ID"] == "poll-1"
    assert len(again.headers["X-Request-ID"]) == len(missing.headers["X-Request-ID"]) == 32
    for response in (first, again, missing):
        for name, value in HEADERS.items():
            expected = "no-referrer" if name == "Referrer-Policy" else value
            assert response.headers[name] == expected, name
        assert "Cookie" not in response.headers.get("Vary", "")  # cookies change nothing
    assert "Content-Length" not in again.headers and "Last-Modified" not in again.headers


def test_feed_polls_are_timed_under_the_feed_endpoint(
    client: FlaskClient, owner: User, issue_feed: Any
) -> None:
    feed = issue_feed(owner)

    def counts() -> dict[str, float]:
        text = client.get("/metrics").get_data(as_text=True)
        pattern = (
            r'^launchpad_http_request_duration_seconds_count\{endpoint="calendar_feed.feed",'
            r'method="(GET|HEAD)",status="(\dxx)"\} (\S+)$'
        )
        found = re.findall(pattern, text, re.M)
        return {f"{method} {status}": float(value) for method, status, value in found}

    before = counts()
    etag = client.get(feed.path()).headers["ETag"]
    client.get(feed.path(), headers={"If-None-Match": etag})
    client.head(feed.path(), headers={"If-None-Match": etag})
    client.get(feed.path("x") + "x")  # not a feed URL: Flask's 404, not this endpoint
    client.get("/cal/" + "B" * 43 + "/feed.ics")
    after = counts()
    grew = {key: after[key] - before.get(key, 0.0) for key in after}
    assert {key: n for key, n in grew.items() if n} == {
        "GET 2xx": 1.0,
        "GET 3xx": 1.0,
        "HEAD 3xx": 1.0,
        "GET 4xx": 1.0,
    }


def test_other_methods_are_refused_with_the_allowed_ones(
    client: FlaskClient, owner: User, issue_feed: Any
) -> None:
    feed = issue_feed(owner)
    for method in ("POST", "PUT", "DELETE", "OPTIONS"):
        response = client.open(feed.path(), method=method)
        assert response.status_code == 405, method
        assert response.headers["Allow"] == "GET, HEAD"
        assert feed.secret not in response.get_data(as_text=True)


def test_a_steady_poll_writes_nothing_and_a_new_client_is_noted_once(
    app: Flask, client: FlaskClient, owner: User, issue_feed: Any, session: Session
) -> None:
    feed = issue_feed(owner)
    phone = {"User-Agent": "Phone/1.0"}
    etag = client.get(feed.path(), headers=phone).headers["ETag"]
    engine = get_state(app).engine
    with counted(engine) as steady:
        assert client.get(feed.path(), headers={**phone, "If-None-Match": etag}).status_code == 304
    assert [s for s in steady if not s.lstrip().upper().startswith(("SELECT", "BEGIN"))] == []
    laptop = {"User-Agent": "Laptop/2.0", "If-None-Match": etag}
    with counted(engine) as noted:
        assert client.get(feed.path(), headers=laptop).status_code == 304
    assert sum(s.lstrip().upper().startswith("UPDATE FEED_TOKENS") for s in noted) == 1
    session.expire_all()
    assert session.get(FeedToken, feed.id).last_client == "Laptop/2.0"  # type: ignore[union-attr]


def test_feeds_are_served_behind_a_trusted_proxy(
    settings: Settings, owner: User, issue_feed: Any
) -> None:
    feed = issue_feed(owner)
    proxied = create_app(replace(settings, trusted_proxies=1))
    try:
        forwarded = {"X-Forwarded-For": "198.51.100.4", "X-Forwarded-Proto": "https"}
        response = proxied.test_client().get(feed.path(), headers=forwarded)
    finally:
        get_state(proxied).engine.dispose()
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"


def test_tokens_never_reach_the_request_log(
    app: Flask, owner: User, issue_feed: Any, caplog: pytest.LogCaptureFixture
) -> None:
    feed = issue_feed(owner)
    server = make_server("127.0.0.1", 0, app)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        with caplog.at_level(logging.INFO, logger="werkzeug"):
            url = f"http://127.0.0.1:{server.server_port}{feed.path()}"
            with urllib.request.urlopen(url) as answer:
                assert answer.status == 200
    finally:
        server.shutdown()
        thread.join()
    assert feed.secret not in caplog.text
    assert "GET /cal/[redacted]/feed.ics" in caplog.text


def test_the_redaction_helper_covers_gunicorn_style_lines() -> None:
    line = '1.2.3.4 - - "GET /cal/abc_DEF-123/comet.ics?format=todo HTTP/1.1" 200 512'
    assert redact_feed_tokens(line) == (
        '1.2.3.4 - - "GET /cal/[redacted]/comet.ics?format=todo HTTP/1.1" 200 512'
    )
    assert redact_feed_tokens("GET /api/v1/launches") == "GET /api/v1/launches"


def test_the_number_of_queries_does_not_grow_with_the_feed(
    app: Flask,
    client: FlaskClient,
    org: Any,
    make_launch: Any,
    issue_feed: Any,
    session: Session,
    read_calendar: Any,
) -> None:
    make_launch()
    feed = issue_feed(org.pm, "team:support")
    small = _query_counts(app, client, feed.path())
    first_body = client.get(feed.path()).data
    for index in range(4):
        make_launch(name=f"Launch {index}")
    big = _query_counts(app, client, feed.path())
    support = select(Task.id).join(Team).where(Team.key == "support")
    assert len(session.scalars(support).all()) == 5 * len(read_calendar(first_body)) > 20
    assert small == big


def test_a_deactivated_owner_loses_every_feed(
    client: FlaskClient, owner: User, issue_feed: Any, session: Session
) -> None:
    feeds = [issue_feed(owner), issue_feed(owner, "team:product")]
    assert all(client.get(feed.path()).status_code == 200 for feed in feeds)
    deactivate_user(session, owner, datetime.now(UTC))
    session.commit()
    assert all(client.get(feed.path()).status_code == 404 for feed in feeds)
    assert all(token.revoked_at for token in session.scalars(select(FeedToken)))
    now = datetime.now(UTC)
    assert open_feed(session.connection(), feeds[0].secret, "event", base_url=BASE, now=now) is None


def _query_counts(app: Flask, client: FlaskClient, path: str) -> tuple[int, int, int]:
    """Statements for a cold 200 (renders), a warm 200 (cache only) and a 304."""
    engine = get_state(app).engine
    with counted(engine) as cold:
        first = client.get(path)
    with counted(engine) as warm:
        client.get(path)
    with counted(engine) as conditional:
        client.get(path, headers={"If-None-Match": first.headers["ETag"]})
    return len(cold), len(warm), len(conditional)


def _headers(headers: Any) -> tuple[tuple[str, str], ...]:
    per_request = {"Date", "X-Request-ID"}
    return tuple(sorted((k, v) for k, v in headers.items() if k not in per_request))
