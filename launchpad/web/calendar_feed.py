"""`GET`/`HEAD /cal/<token>/<slug>.ics`: the calendar feed HTTP contract (DESIGN.md 5).

Calendar apps poll every hour for years, so the common answer is a 304 decided from
the feed's revision before anything is built; a fault is a 503 (apps retry it) and
never an empty 200 (apps would delete every event they showed).

Served as plain WSGI in front of Flask: a poll needs no cookie, session, sign-in, CSRF
check, rate limit or URL map, and under load Flask's request machinery was a quarter of
each poll's time. What every answer of the app carries is added here too: the request
id (header and log lines), the latency metric and the security headers.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from http import HTTPStatus
from typing import TYPE_CHECKING
from urllib.parse import parse_qs

from flask import Flask
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.http import http_date, parse_date, parse_etags, quote_etag

from launchpad.extensions import get_state
from launchpad.log_redaction import install_log_redaction, redact_feed_tokens
from launchpad.observability.http_metrics import observe
from launchpad.observability.request_ids import HEADER, plain_wsgi_request
from launchpad.services.feeds import (
    BuiltFeed,
    OpenFeed,
    build_feed,
    fetch_leaves_traces,
    open_feed,
    remember_fetch,
)
from launchpad.web.security import HEADERS, HSTS

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

log = logging.getLogger(__name__)
PATH = re.compile(r"/cal/(?P<token>[^/]+)/[^/]+\.ics")  # the slug is cosmetic
ENDPOINT = "calendar_feed.feed"  # its label in launchpad_http_request_duration_seconds
CALENDAR_TYPE = "text/calendar; charset=utf-8"
TEXT_TYPE = "text/plain; charset=utf-8"
PRIVATE_HEADERS = {"Referrer-Policy": "no-referrer", "X-Robots-Tag": "noindex"}
NOT_FOUND = b"No calendar feed here.\n"
UNAVAILABLE = b"Calendar feed temporarily unavailable.\n"
RETRY_AFTER_SECONDS = 300


@dataclass(frozen=True, slots=True)
class Answer:
    status: int
    headers: list[tuple[str, str]]
    body: bytes = b""


class CalendarFeeds:
    """WSGI middleware: feed URLs are answered here, everything else goes on to Flask."""

    def __init__(self, app: WSGIApplication, engine: Engine, base_url: str) -> None:
        self.app = app
        self.base_url = base_url
        # Most polls end in a 304 after three reads: without a transaction around them
        # there is no BEGIN and ROLLBACK to wait for. Writes get a transaction of their own.
        self.reads = engine.execution_options(isolation_level="AUTOCOMMIT")
        self.writes = engine
        common = {**HEADERS, **PRIVATE_HEADERS}
        if base_url.startswith("https://"):
            common.update(HSTS)
        self.common = list(common.items())

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        match = PATH.fullmatch(environ.get("PATH_INFO", ""))
        if match is None:
            return self.app(environ, start_response)
        started = time.perf_counter()
        method = environ.get("REQUEST_METHOD", "GET")
        with plain_wsgi_request(environ) as request_id:
            answer = self._answer(environ, method, match["token"])
        headers = [*answer.headers, *self.common, (HEADER, request_id)]
        if answer.status != 304:
            headers.append(("Content-Length", str(len(answer.body))))
        start_response(f"{answer.status} {HTTPStatus(answer.status).phrase}", headers)
        label = method if method in ("GET", "HEAD") else "OTHER"
        observe(ENDPOINT, label, answer.status, time.perf_counter() - started)
        return [answer.body] if method != "HEAD" else []

    def _answer(self, environ: WSGIEnvironment, method: str, token: str) -> Answer:
        if method not in ("GET", "HEAD"):
            return _plain(
                405, b"Calendar feeds answer GET and HEAD only.\n", {"Allow": "GET, HEAD"}
            )
        try:
            return self._feed(environ, token)
        except Exception:
            log.exception("calendar feed failed: %s", redact_feed_tokens(environ["PATH_INFO"]))
            headers = {"Cache-Control": "no-store", "Retry-After": str(RETRY_AFTER_SECONDS)}
            return _plain(503, UNAVAILABLE, headers)

    def _feed(self, environ: WSGIEnvironment, token: str) -> Answer:
        """One feed: the token is the whole secret, the slug only names the file."""
        now = datetime.now(UTC)
        fmt = parse_qs(environ.get("QUERY_STRING", "")).get("format", ["event"])[0]
        with self.reads.connect() as connection:
            opened = open_feed(connection, token, fmt, base_url=self.base_url, now=now)
            if opened is None:
                return _plain(404, NOT_FOUND, {"Cache-Control": "no-store"})
            built = None if _not_modified(environ, opened) else build_feed(connection, opened)
        client = environ.get("HTTP_USER_AGENT", "")
        if fetch_leaves_traces(opened, built, client, now):
            self._remember(opened, built, client, now)
        return _calendar(opened, built)

    def _remember(
        self, feed: OpenFeed, built: BuiltFeed | None, client: str, now: datetime
    ) -> None:
        """Best effort: losing it only means an event is rendered again next time."""
        try:
            with self.writes.begin() as connection:
                remember_fetch(connection, feed, built, client, now)
        except SQLAlchemyError:
            log.warning("feed bookkeeping failed; the next fetch redoes it", exc_info=True)


def serve_feeds_first(app: Flask) -> None:
    """Answer feed URLs before Flask; call before ProxyFix wraps the app (it goes outside)."""
    install_log_redaction("werkzeug", app.logger.name)  # the dev server's request lines
    state = get_state(app)
    app.wsgi_app = CalendarFeeds(  # type: ignore[method-assign]
        app.wsgi_app, state.engine, state.settings.base_url
    )


def _not_modified(environ: WSGIEnvironment, feed: OpenFeed) -> bool:
    """If-None-Match decides when present (weak comparison, RFC 9110), else the date."""
    etags = parse_etags(environ.get("HTTP_IF_NONE_MATCH"))
    if etags:
        return etags.contains_weak(feed.etag)
    since = parse_date(environ.get("HTTP_IF_MODIFIED_SINCE"))
    return since is not None and feed.last_modified.replace(microsecond=0) <= since


def _calendar(feed: OpenFeed, built: BuiltFeed | None) -> Answer:
    """200 with the calendar, or 304; Last-Modified goes with the body, as werkzeug does."""
    headers = [("ETag", quote_etag(feed.etag)), ("Cache-Control", "private, max-age=3600")]
    if built is None:
        return Answer(304, headers)
    headers += [("Content-Type", CALENDAR_TYPE), ("Last-Modified", http_date(feed.last_modified))]
    return Answer(200, headers, built.body)


def _plain(status: int, body: bytes, headers: Mapping[str, str]) -> Answer:
    return Answer(status, [("Content-Type", TEXT_TYPE), *headers.items()], body)
