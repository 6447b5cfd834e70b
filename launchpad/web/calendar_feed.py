"""`GET`/`HEAD /cal/<token>/<slug>.ics`: the calendar feed HTTP contract (DESIGN.md 5).

Calendar apps poll every hour for years, so the common answer is a 304 decided from
the feed's revision before anything is built; a fault is a 503 (apps retry it) and
never an empty 200 (apps would delete every event they showed).
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from flask import Blueprint, Response, request
from flask.blueprints import BlueprintSetupState
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.exceptions import HTTPException

from launchpad.extensions import get_session, get_state
from launchpad.log_redaction import install_log_redaction, redact_feed_tokens
from launchpad.services.feeds import BuiltFeed, OpenFeed, build_feed, open_feed, remember_fetch

bp = Blueprint("calendar_feed", __name__)
log = logging.getLogger(__name__)
CALENDAR_TYPE = "text/calendar; charset=utf-8"
PRIVATE_HEADERS = {"Referrer-Policy": "no-referrer", "X-Robots-Tag": "noindex"}
NOT_FOUND = b"No calendar feed here.\n"
RETRY_AFTER_SECONDS = 300


@bp.record_once
def _redact_logs(state: BlueprintSetupState) -> None:
    install_log_redaction("werkzeug", state.app.logger.name)


@bp.route("/cal/<token>/<slug>.ics", methods=["GET", "HEAD"])
def feed(token: str, slug: str) -> Response:
    """One feed; the slug is cosmetic, the token is the whole secret."""
    now, session = datetime.now(UTC), get_session()
    fmt = request.args.get("format", "event")
    # Most polls end in a 304 after two or three reads: without a transaction around them
    # there is no BEGIN and ROLLBACK to wait for (a third of the round trips).
    session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})
    opened = open_feed(session, token, fmt, base_url=get_state().settings.base_url, now=now)
    if opened is None:
        return _plain(404, NOT_FOUND, {"Cache-Control": "no-store"})
    built = None if _not_modified(opened) else build_feed(session, opened)
    response = _calendar(opened, built)
    session.rollback()  # end the read; the bookkeeping below starts as a writer (SQLite)
    try:
        remember_fetch(session, opened, built, request.headers.get("User-Agent", ""), now)
        session.commit()
    except SQLAlchemyError:
        session.rollback()
        log.warning("feed bookkeeping failed; the next fetch redoes it", exc_info=True)
    return response


@bp.errorhandler(Exception)
def _unavailable(error: Exception) -> Response | HTTPException:
    """Any fault is a 503 with Retry-After: calendar apps keep their events and retry."""
    if isinstance(error, HTTPException):
        return error
    log.error("calendar feed failed: %s", redact_feed_tokens(request.path), exc_info=error)
    headers = {"Cache-Control": "no-store", "Retry-After": str(RETRY_AFTER_SECONDS)}
    return _plain(503, b"Calendar feed temporarily unavailable.\n", headers)


def _not_modified(feed: OpenFeed) -> bool:
    """If-None-Match decides when present (weak comparison, RFC 9110), else the date."""
    if request.if_none_match:
        return request.if_none_match.contains_weak(feed.etag)
    since = request.if_modified_since
    return since is not None and feed.last_modified.replace(microsecond=0) <= since


def _calendar(feed: OpenFeed, built: BuiltFeed | None) -> Response:
    response = Response(status=304) if built is None else Response(built.body, 200)
    if built is not None:
        response.content_type = CALENDAR_TYPE
    response.set_etag(feed.etag)
    response.last_modified = feed.last_modified.replace(microsecond=0)
    response.headers.update({"Cache-Control": "private, max-age=3600", **PRIVATE_HEADERS})
    return response


def _plain(status: int, body: bytes, headers: dict[str, str]) -> Response:
    response = Response(body, status, content_type="text/plain; charset=utf-8")
    response.headers.update({**headers, **PRIVATE_HEADERS})
    return response
