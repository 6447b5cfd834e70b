"""Calendar feed speed: a person feed of 2,000 tasks, cached path against icalendar.

Prints medians measured in one run: a full 200 through the app's WSGI entry (token, access
check, revision, rows, assembly, bookkeeping), the same feed rendered from scratch with
icalendar, their ratio, a matching conditional request (304), and SQL statements per
request. Run: `.venv/bin/python benchmarks/bench_feeds.py` (SQLite in a temporary
directory; set LAUNCHPAD_BENCH_DATABASE_URL to an empty PostgreSQL database to use it).
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import event, text, update

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic_templates import write_template

from launchpad import create_app
from launchpad.config import Settings
from launchpad.extensions import get_state
from launchpad.migrate import upgrade
from launchpad.models import Task
from launchpad.services.feed_reference import render_from_scratch
from launchpad.services.feed_scopes import FeedScope
from launchpad.services.feed_tokens import create_feed_token
from launchpad.services.feeds import open_feed
from launchpad.services.launch_planning import NewLaunch, create_launch
from launchpad.services.people import create_user

NOW = datetime.now(UTC)
BASE_URL = "https://lp.acme.io"
TASKS = 2000


def median_ms(action: Callable[[], object], repeat: int) -> float:
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples) * 1000


def seed(settings: Settings, workdir: Path) -> str:
    """One person assigned every task of a 2,000-task launch; returns a feed secret."""
    library = workdir / "templates"
    library.mkdir()
    write_template(library, "synthetic-2000", TASKS)
    app = create_app(settings)
    with get_state(app).sessions() as session:
        jane = create_user(
            session, email="jane@example.com", password=None, role="member", now=NOW, name="Jane"
        )
        launch_day = NOW.date() + timedelta(days=30)  # tasks from -120 to +60 days around it
        launch = create_launch(
            session, library, NewLaunch("synthetic-2000", "Apollo", launch_day), actor=None, now=NOW
        )
        session.execute(update(Task).where(Task.launch_id == launch.id).values(assignee_id=jane.id))
        issued = create_feed_token(session, jane, FeedScope("person", jane.id), label="", now=NOW)
        session.commit()
    if get_state(app).engine.dialect.name == "postgresql":
        with get_state(app).engine.connect() as connection:  # what autovacuum does after a load
            connection.execute(text("ANALYZE")).close()
            connection.commit()
    return issued.secret


def count_statements(app: Any, action: Callable[[], object]) -> int:
    statements: list[str] = []

    def count(*args: Any) -> None:
        statements.append(args[2])

    engine = get_state(app).engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        action()
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return len(statements)


def run(database_url: str, workdir: Path) -> None:
    upgrade(database_url)
    settings = Settings.from_env(
        {}, instance_dir=workdir / "instance", database_url=database_url, base_url=BASE_URL
    )
    secret = seed(settings, workdir)
    app = create_app(settings)
    client = app.test_client()
    path = f"/cal/{secret}/jane.ics"

    started = time.perf_counter()
    cold = client.get(path)
    cold_ms = (time.perf_counter() - started) * 1000
    assert cold.status_code == 200, cold.status_code
    etag = cold.headers["ETag"]

    def full() -> bytes:
        response = client.get(path)
        assert response.status_code == 200
        return response.data

    def conditional() -> None:
        assert client.get(path, headers={"If-None-Match": etag}).status_code == 304

    with app.app_context(), get_state(app).sessions() as session:
        feed = open_feed(
            session.connection(), secret, "event", base_url=BASE_URL, now=datetime.now(UTC)
        )
        assert feed is not None

        def scratch() -> bytes:
            return render_from_scratch(session, feed)

        reference = scratch()
        scratch_ms = median_ms(scratch, 5)
    body = full()
    assert body == reference, "cached feed differs from the from-scratch render"
    full_ms = median_ms(full, 40)
    not_modified_ms = median_ms(conditional, 200)
    events = body.count(b"BEGIN:VEVENT")
    print(f"database            {database_url.split(':')[0]}")
    print(f"feed                {events} events of {TASKS} tasks, {len(body) / 1e6:.3f} MB")
    print(f"first fetch (cold)  {cold_ms:7.1f} ms  (renders and stores every event once)")
    print(f"full 200            median {full_ms:7.2f} ms")
    print(f"from scratch        median {scratch_ms:7.1f} ms  (query + icalendar render)")
    print(f"ratio               {full_ms / scratch_ms:.3f}  (1/{scratch_ms / full_ms:.0f})")
    print(f"304                 median {not_modified_ms:7.2f} ms")
    print(f"SQL per 200         {count_statements(app, full)}")
    print(f"SQL per 304         {count_statements(app, conditional)}")
    print("bytes identical     yes")


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="lp-bench-feeds-") as workdir:
        url = os.environ.get("LAUNCHPAD_BENCH_DATABASE_URL") or f"sqlite:///{workdir}/feeds.db"
        run(url, Path(workdir))


if __name__ == "__main__":
    main()
