"""API list speed: a page of 100 tasks with 20,000 tasks in the database (SQLite).

Prints medians measured in one run; the foundation for the query counts is asserted in
tests/integration/test_api.py (constant per page), not here.
Run: `.venv/bin/python benchmarks/bench_api.py`.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic_templates import write_template

from launchpad import create_app
from launchpad.broker import ensure_embedded_redis, stop_embedded_redis
from launchpad.config import Settings
from launchpad.db import make_engine, make_session_factory
from launchpad.migrate import upgrade
from launchpad.services.api_tokens import create_token
from launchpad.services.launch_planning import NewLaunch, create_launch
from launchpad.services.people import create_user

NOW = datetime(2027, 1, 4, tzinfo=UTC)
LAUNCHES, TASKS_PER_LAUNCH = 40, 500


def seed(url: str, library: Path) -> str:
    sessions = make_session_factory(make_engine(url))
    with sessions() as session:
        user = create_user(session, email="bench@example.com", password=None, role="pm", now=NOW)
        for n in range(LAUNCHES):
            request = NewLaunch("synthetic-500", f"Launch {n}", date(2027, 3, 2) + timedelta(n))
            create_launch(session, library, request, actor=user, now=NOW)
        secret = create_token(
            session, user, label="bench", read_only=True, expires_days=None, now=NOW
        ).secret
        session.commit()
    return secret


def median_ms(client: object, path: str, headers: dict[str, str], repeat: int = 50) -> float:
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        response = client.get(path, headers=headers)  # type: ignore[attr-defined]
        samples.append(time.perf_counter() - started)
        assert response.status_code == 200, response.json
    return statistics.median(samples) * 1000


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="lp-bench-") as workdir:
        root = Path(workdir)
        library = root / "templates"
        library.mkdir()
        write_template(library, "synthetic-500", TASKS_PER_LAUNCH)
        url = f"sqlite:///{root / 'bench.db'}"
        upgrade(url)
        secret = seed(url, library)
        instance = root / "instance"
        redis_url = ensure_embedded_redis(instance)  # the rate limiter counts in Redis
        settings = Settings.from_env(
            {},
            instance_dir=instance,
            database_url=url,
            redis_url=redis_url,
            templates_dir=library,
            api_rate_limit="1000000 per minute",
        )
        client = create_app(settings).test_client()
        headers = {"Authorization": f"Bearer {secret}"}
        print(f"{LAUNCHES * TASKS_PER_LAUNCH:,} tasks in {LAUNCHES} launches")
        for label, path in (
            ("first page of 100 tasks", "/api/v1/tasks?per_page=100"),
            ("page 150 of 200", "/api/v1/tasks?per_page=100&page=150"),
            ("one launch, open tasks", "/api/v1/tasks?launch=7&status=todo&per_page=100"),
            ("due window", "/api/v1/tasks?due_from=2027-02-01&due_to=2027-02-28&per_page=100"),
            ("launches page", "/api/v1/launches?per_page=100"),
        ):
            print(f"{label:<26} median {median_ms(client, path, headers):6.1f} ms")
        stop_embedded_redis(instance)


if __name__ == "__main__":
    main()
