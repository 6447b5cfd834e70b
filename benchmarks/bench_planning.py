"""Planning speed: expansion, creating a 500-task launch, rescheduling 2,000 tasks.

Prints medians measured in one run, and the ratio the foundation issue asks for:
creating a launch (expand + persist) against one Core `insert()` executemany of the
same task rows. Run: `.venv/bin/python benchmarks/bench_planning.py`.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from functools import partial
from pathlib import Path

from sqlalchemy import insert, select

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic_templates import write_template

from launchpad.db import make_engine, make_session_factory
from launchpad.migrate import upgrade
from launchpad.models import Task
from launchpad.planning.expansion import LaunchSettings, expand
from launchpad.planning.spec import ParameterSpec
from launchpad.services.launch_planning import NewLaunch, create_launch
from launchpad.services.rescheduling import reschedule_launch
from launchpad.services.template_library import list_library

NOW = datetime(2027, 1, 4, tzinfo=UTC)
REPO = Path(__file__).resolve().parents[1]


def median_ms(action: Callable[[], object], repeat: int) -> float:
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples) * 1000


def all_on(parameters: dict[str, ParameterSpec]) -> dict[str, object]:
    """Every list choice and every flag switched on, so a large plan is measured."""
    values: dict[str, object] = {}
    for name, param in parameters.items():
        if param.type == "list":
            values[name] = list(param.choices)
        elif param.type == "bool":
            values[name] = True
    return values


def bench_expansion() -> None:
    specs = [entry.spec for entry in list_library(REPO / "templates") if entry.spec]
    for spec in specs:
        settings = LaunchSettings(
            date(2027, 3, 2), "Europe/Berlin", None, "DE", all_on(spec.parameters)
        )
        tasks = len(expand(spec, settings).tasks)
        ms = median_ms(partial(expand, spec, settings), 300)
        print(f"expand {spec.key:<18} {tasks:>3} tasks  median {ms:6.3f} ms")


def bench_create_and_reschedule(workdir: Path) -> None:
    library = workdir / "templates"
    library.mkdir()
    write_template(library, "synthetic-500", 500)
    write_template(library, "synthetic-2000", 2000)
    url = f"sqlite:///{workdir / 'bench.db'}"
    upgrade(url)
    sessions = make_session_factory(make_engine(url))

    def create(key: str, day: date = date(2027, 3, 2)) -> int:
        with sessions() as session:
            launch = create_launch(
                session, library, NewLaunch(key, "Bench", day), actor=None, now=NOW
            )
            session.commit()
            return launch.id

    create("synthetic-500")  # warm caches (template parse, holidays)
    create_ms = median_ms(lambda: create("synthetic-500"), 15)
    with sessions() as session:
        rows = [
            {c.key: getattr(t, c.key) for c in Task.__table__.columns if c.key != "id"}
            for t in session.scalars(select(Task).where(Task.launch_id == 1))
        ]

    for row in rows:
        row["launch_id"] = 1
    counter = iter(range(10**9))

    def core_insert_fresh_keys() -> None:
        batch = next(counter)
        fresh = [{**row, "key": f"{row['key']}-{batch}"} for row in rows]
        with sessions() as session:
            session.execute(insert(Task.__table__), fresh)
            session.commit()

    core_ms = median_ms(core_insert_fresh_keys, 15)
    print(f"create 500-task launch   median {create_ms:6.1f} ms  (expand + persist + commit)")
    print(f"core insert of same rows median {core_ms:6.1f} ms  ratio {create_ms / core_ms:.2f}x")

    launch_id = create("synthetic-2000")
    days = iter([date(2027, 3, 2 + n % 20) for n in range(1, 1000)])

    def preview() -> None:
        with sessions() as session:
            reschedule_launch(
                session,
                launch_id,
                date(2027, 3, 9),
                expected_version=None,
                actor=None,
                now=NOW,
                apply=False,
            )

    def apply() -> None:
        with sessions() as session:
            reschedule_launch(
                session,
                launch_id,
                next(days),
                expected_version=None,
                actor=None,
                now=NOW,
                apply=True,
            )
            session.commit()

    print(f"reschedule 2,000 tasks   preview median {median_ms(preview, 9):6.1f} ms")
    print(f"reschedule 2,000 tasks   apply   median {median_ms(apply, 9):6.1f} ms  (SQLite)")


def main() -> None:
    bench_expansion()
    with tempfile.TemporaryDirectory(prefix="lp-bench-") as workdir:
        bench_create_and_reschedule(Path(workdir))


if __name__ == "__main__":
    main()
