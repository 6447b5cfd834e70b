"""Page speed: the dashboard over 200 launches and 20,000 tasks, a 500-task launch page.

Renders through the Flask test client (routing, sign-in, queries, Jinja) on SQLite and
prints medians; the goal is under 150 ms for each. Run:
`.venv/bin/python benchmarks/bench_pages.py`.
"""

from __future__ import annotations

import random
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import update

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic_templates import write_template

from launchpad import create_app
from launchpad.broker import stop_embedded_redis
from launchpad.config import Settings
from launchpad.db import session_scope
from launchpad.extensions import get_state
from launchpad.migrate import upgrade
from launchpad.models import Task
from launchpad.services.launch_planning import NewLaunch, create_launch
from launchpad.services.people import create_user

NOW = datetime.now(UTC)
PASSWORD = "benchmark-password"
GOAL_MS = 150.0


def median_ms(action: Callable[[], object], repeat: int = 15) -> float:
    action()  # warm caches once
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples) * 1000


def seed(settings: Settings) -> int:
    """200 launches of 100 tasks (some progress on each) and one of 500; its id."""
    library = settings.templates_dir
    write_template(library, "synthetic-100", 100)
    write_template(library, "synthetic-500", 500)
    app = create_app(settings)
    with session_scope(get_state(app).sessions) as session:
        pm = create_user(session, email="pm@bench.example", password=PASSWORD, role="pm", now=NOW)
        today = NOW.date()
        for n in range(200):
            day = today + timedelta(days=random.Random(n).randint(-30, 120))
            request = NewLaunch("synthetic-100", f"Launch {n}", day)
            create_launch(session, library, request, actor=pm, now=NOW)
        session.execute(update(Task).where(Task.id % 3 == 0).values(status="done"))
        big = create_launch(
            session,
            library,
            NewLaunch("synthetic-500", "Big one", today + timedelta(days=60)),
            actor=pm,
            now=NOW,
        )
        return big.id


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="lp-bench-") as tmp:
        workdir = Path(tmp)
        (workdir / "templates").mkdir()
        settings = Settings.from_env(
            {}, instance_dir=workdir / "i", templates_dir=workdir / "templates", testing=True
        )
        upgrade(settings.database_url)
        try:
            big_id = seed(settings)
            client = create_app(settings).test_client()
            page = client.get("/sign-in").get_data(as_text=True)
            token = re.search(r'name="csrf_token"[^>]* value="([^"]+)"', page)
            assert token is not None
            form = {"email": "pm@bench.example", "password": PASSWORD, "csrf_token": token[1]}
            assert client.post("/sign-in", data=form).status_code == 302
            for label, url in (
                ("dashboard, 200 launches / 20,000 tasks", "/"),
                (
                    "dashboard filtered by team and quarter",
                    f"/?team=marketing&quarter={date.today().year}-Q1",
                ),
                ("launch page, 500 tasks (timeline)", f"/launches/{big_id}"),
                ("launch board, 500 tasks", f"/launches/{big_id}/board"),
                ("my tasks", "/my-tasks"),
            ):
                assert client.get(url).status_code == 200, url
                ms = median_ms(lambda url=url: client.get(url).close())
                verdict = "ok" if ms < GOAL_MS else f"OVER {GOAL_MS:.0f} ms"
                print(f"{label:45s} median {ms:7.1f} ms  {verdict}")
        finally:
            stop_embedded_redis(settings.instance_dir)


if __name__ == "__main__":
    main()
