"""A feed rendered from scratch by ``icalendar`` in one go, ignoring the event cache.

This is the reference the cached path must match byte for byte (the tests compare them)
and the baseline the benchmark measures the cache against. Nothing serves it.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from launchpad.ical import CALENDAR_TAIL, Entry, calendar_head, render_calendar, render_entry
from launchpad.services.feed_render import task_entries
from launchpad.services.feed_rows import feed_days
from launchpad.services.feed_window import within_budget
from launchpad.services.feeds import DESCRIPTION, MAX_BODY, OpenFeed, launch_day_entries


def render_from_scratch(session: Session, feed: OpenFeed, max_body: int = MAX_BODY) -> bytes:
    """The same bytes as ``build_feed`` would serve for `feed`, with no cache at all."""
    days = feed_days(session, feed.scope, feed.horizon)
    by_id = task_entries(session, [task_id for task_id, _ in days], feed.rendering)
    entries = [by_id[task_id][0] for task_id, _ in days if task_id in by_id]
    first = launch_day_entries(feed)
    body = render_calendar(feed.view.title, DESCRIPTION, [*first, *entries])
    if len(body) <= max_body:
        return body
    kept = _cut(feed, first, entries, max_body)
    return render_calendar(feed.view.title, DESCRIPTION, [*first, *kept])


def _cut(feed: OpenFeed, first: list[Entry], entries: list[Entry], max_body: int) -> list[Entry]:
    """The entries the size cap keeps, judged on each entry's rendered size."""
    head = calendar_head(feed.view.title, DESCRIPTION)
    budget = max_body - len(head) - len(CALENDAR_TAIL) - sum(len(render_entry(e)) for e in first)
    sized = [(entry.day, len(render_entry(entry)), entry) for entry in entries]
    return within_budget(sized, feed.today, budget)
