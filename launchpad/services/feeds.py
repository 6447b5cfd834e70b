"""Serving a feed: open it (token, access, revision), then build it from cached events.

`open_feed` is all a conditional request needs: a token lookup, the access check and one
aggregate query give the ETag and Last-Modified, so a 304 never renders anything.
`build_feed` joins cached event bytes and renders only the events whose task changed.
All of it runs on a Core connection: a poll is a few plain statements, no ORM session.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache

from sqlalchemy import Connection
from sqlalchemy.orm import Session

from launchpad.ical import CALENDAR_TAIL, Entry, assemble, calendar_head, render_entry
from launchpad.services.feed_cache import TokenState, record_fetch, store_events, token_changes
from launchpad.services.feed_entries import Rendering, launch_day_entry
from launchpad.services.feed_render import render_tasks
from launchpad.services.feed_rows import revision, rows_with_events
from launchpad.services.feed_scopes import FeedScope, ScopeView, scope_view
from launchpad.services.feed_tokens import live_token
from launchpad.services.feed_window import within_budget

FORMATS = ("event", "todo")
HORIZON = timedelta(days=365)  # how far ahead a feed looks; overdue open tasks always stay
MAX_BODY = 1_000_000  # bytes; Google and Outlook refuse or cut feeds beyond about 1 MB
DESCRIPTION = "Open Launchpad tasks; finished ones drop out. Refreshed hourly."


@dataclass(frozen=True, slots=True)
class OpenFeed:
    token: TokenState
    scope: FeedScope
    view: ScopeView
    rendering: Rendering
    today: date
    etag: str  # without quotes
    last_modified: datetime

    @property
    def horizon(self) -> date:
        return self.today + HORIZON


@dataclass(frozen=True, slots=True)
class BuiltFeed:
    body: bytes
    rendered: dict[int, tuple[bytes, int, int]]  # events rendered now, for the cache


def open_feed(
    connection: Connection, secret: str, fmt: str, *, base_url: str, now: datetime
) -> OpenFeed | None:
    """The feed behind `secret` as its owner may see it now, or None (a uniform 404)."""
    token = live_token(connection, secret)
    if token is None or fmt not in FORMATS:
        return None
    scope = FeedScope(token.scope_kind, token.scope_id, token.phase)
    view = scope_view(token.owner, scope, token.facts)
    if view is None:
        return None
    today = now.date()
    rendering = Rendering(base_url, scope.kind, fmt == "todo")
    facts = (rendering.variant, rendering.renderer, scope, view.title, today + HORIZON)
    launch = (view.launch.version, view.launch.status) if view.launch else None
    state = (*facts, launch, *revision(connection, scope, today + HORIZON))
    etag = hashlib.sha256(repr(state).encode()).hexdigest()[:40]
    last_modified = _last_modified(token.etag == etag, token.etag_changed_at, now)
    state_now = TokenState(token.id, token.etag, token.last_used_at, token.last_client)
    return OpenFeed(state_now, scope, view, rendering, today, etag, last_modified)


def _last_modified(same_etag: bool, previous: datetime | None, now: datetime) -> datetime:
    """When this ETag first appeared, in whole seconds (HTTP dates have no fractions).

    A new ETag gets a time strictly after the previous one, so a client that only sends
    If-Modified-Since never gets a 304 for a feed that changed within the same second.
    """
    if previous is None:
        return now.replace(microsecond=0)
    if same_etag:
        return previous
    return max(now.replace(microsecond=0), previous + timedelta(seconds=1))


def build_feed(connection: Connection, feed: OpenFeed, max_body: int = MAX_BODY) -> BuiltFeed:
    """The calendar bytes: cached events joined, stale ones rendered (two more queries)."""
    how = feed.rendering
    rows = rows_with_events(connection, feed.scope, feed.horizon, how.variant, how.renderer)
    stale = [task_id for task_id, _, body in rows if body is None]
    rendered = {}
    if stale:  # rendering reads tasks as entities: a session on the same connection
        with Session(bind=connection) as session:
            rendered = render_tasks(session, stale, how)
    events = [
        (due, len(event), event)
        for task_id, due, body in rows
        if (event := body if body is not None else rendered.get(task_id, (b"", 0, 0))[0])
    ]  # a task deleted since the first query has no bytes, and is left out
    head = _head(feed.view.title)
    first = [_launch_day(entry) for entry in launch_day_entries(feed)]
    budget = max_body - len(head) - len(CALENDAR_TAIL) - sum(map(len, first))
    return BuiltFeed(assemble(head, [*first, *within_budget(events, feed.today, budget)]), rendered)


def launch_day_entries(feed: OpenFeed) -> list[Entry]:
    """Launch day, in a launch's feed (unless filtered to another phase or cancelled)."""
    launch = feed.view.launch
    if launch is None or feed.scope.phase not in (None, "launch") or launch.status == "cancelled":
        return []
    return [launch_day_entry(launch, feed.rendering.base_url)]


@lru_cache(maxsize=1024)
def _head(title: str) -> bytes:
    """A feed's head depends on its title only: rendered once per title, not per build."""
    return calendar_head(title, DESCRIPTION)


@lru_cache(maxsize=1024)
def _launch_day(entry: Entry) -> bytes:
    """Launch day's event, rendered once per launch version (the entry holds it)."""
    return render_entry(entry)


def fetch_leaves_traces(
    feed: OpenFeed, built: BuiltFeed | None, client: str, now: datetime
) -> bool:
    """Whether ``remember_fetch`` would write anything: most polls do not."""
    rendered = built is not None and bool(built.rendered)
    return rendered or bool(token_changes(feed.token, feed.etag, feed.last_modified, client, now))


def remember_fetch(
    connection: Connection, feed: OpenFeed, built: BuiltFeed | None, client: str, now: datetime
) -> None:
    """Keep what this fetch rendered and note the token's use (the caller commits)."""
    if built is not None:
        store_events(connection, feed.rendering.variant, feed.rendering.renderer, built.rendered)
    record_fetch(connection, feed.token, feed.etag, feed.last_modified, client, now)
