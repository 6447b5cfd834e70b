"""Data-size check: page, feed and API timings on the demo data, then on a big database.

    .venv/bin/python benchmarks/load/data_size.py            # 1,000 launches, 100,000
                                                              # tasks, 1,000,000 measurements
    .venv/bin/python benchmarks/load/data_size.py --scale 0.05   # a small variant

Seeds the demo in a scratch PostgreSQL database, times each call (sequential requests
on one keep-alive connection to gunicorn, median and p95), bulk-inserts the history of
a busy organisation with INSERT ... SELECT (the copies of the demo launch spread over
the past years, closed, their tasks done, so what is current stays demo-sized, as in a
real organisation), runs VACUUM ANALYZE (as autovacuum would) and times the same calls
again. The target: no call slower than twice its demo time. Minutes, not hours; kept out
of CI (``--scale`` makes a small variant; ``--keep`` leaves the big database for EXPLAIN).
"""

from __future__ import annotations

import argparse
import http.client
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine, inspect, text

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from benchmarks.load.run_load import sign_in  # noqa: E402
from tests.smoke.stack import (  # noqa: E402
    Stack,
    StackError,
    drop_database,
    flush_redis,
    issue_credentials,
    machine_lock,
)

DEFAULT_DB = "postgresql+psycopg://postgres@127.0.0.1:5432/launchpad_datasize"
DEFAULT_REDIS = "redis://127.0.0.1:6379/11"
LAUNCHES, TASKS_PER_LAUNCH, MEASUREMENTS_PER_LAUNCH = 1000, 100, 1000
RATIO_LIMIT = 2.0


@dataclass
class Call:
    name: str
    path: str
    headers: dict[str, str]
    method: str = "GET"
    body: bytes | None = None


def calls(stack: Stack, launch_id: int, token: str, feeds: list[str], cookie: str) -> list[Call]:
    bearer = {"Authorization": f"Bearer {token}"}
    web = {"Cookie": cookie}
    etags = {path: stack.request(path).headers["ETag"] for path in feeds}
    found = [
        Call("dashboard", "/", web),
        Call("launch page", f"/launches/{launch_id}", web),
        Call("launch board", f"/launches/{launch_id}/board", web),
        Call("my tasks", "/my-tasks", web),
        Call("api launches", "/api/v1/launches", bearer),
        Call("api launch", f"/api/v1/launches/{launch_id}", bearer),
        Call("api tasks", f"/api/v1/tasks?launch={launch_id}&per_page=50", bearer),
        Call("api tasks (all)", "/api/v1/tasks?per_page=50", bearer),
        Call("api measurements", f"/api/v1/launches/{launch_id}/measurements", bearer),
    ]
    for path, name in zip(feeds, ("person", "team", "launch"), strict=True):
        found.append(Call(f"feed {name}", path, {}))
        found.append(Call(f"feed {name} 304", path, {"If-None-Match": etags[path]}))
    return found


def time_calls(stack: Stack, todo: list[Call], repeat: int) -> dict[str, tuple[float, float]]:
    """Median and p95 in milliseconds per call, over ``repeat`` runs after a warm-up."""
    connection = http.client.HTTPConnection("127.0.0.1", stack.port, timeout=30)
    figures = {}
    for call in todo:
        samples = []
        for n in range(repeat + 3):
            started = time.perf_counter()
            connection.request(call.method, call.path, body=call.body, headers=call.headers)
            answer = connection.getresponse()
            answer.read()
            if answer.status not in (200, 304):
                raise StackError(f"{call.name}: {call.path} answered {answer.status}")
            if n >= 3:
                samples.append((time.perf_counter() - started) * 1000)
        samples.sort()
        figures[call.name] = (statistics.median(samples), samples[int(len(samples) * 0.95) - 1])
    connection.close()
    return figures


def columns(connection: object, table: str, *, skip: tuple[str, ...] = ("id",)) -> list[str]:
    return [c["name"] for c in inspect(connection).get_columns(table) if c["name"] not in skip]


def grow(database_url: str, demo_launch: int, scale: float) -> dict[str, int]:
    """Copies of the demo launch into the past, their tasks, and measurements everywhere."""
    launches = max(int(LAUNCHES * scale), 2) - 1
    engine = create_engine(database_url)
    started = time.perf_counter()
    with engine.begin() as connection:
        launch_cols = columns(connection, "launches")
        picked = {
            "name": "l.name || ' (history ' || g || ')'",
            "launch_date": "l.launch_date - 7 * g - 30",
            "status": "'closed'",
        }
        connection.execute(
            text(
                f"INSERT INTO launches ({', '.join(launch_cols)}) "
                f"SELECT {', '.join(picked.get(c, 'l.' + c) for c in launch_cols)} "
                "FROM launches l, generate_series(1, :n) g WHERE l.id = :demo"
            ),
            {"n": launches, "demo": demo_launch},
        )
        role_cols = columns(connection, "launch_roles")
        connection.execute(
            text(
                f"INSERT INTO launch_roles ({', '.join(role_cols)}) SELECT "
                + ", ".join("n.id" if c == "launch_id" else "r." + c for c in role_cols)
                + " FROM launch_roles r, launches n WHERE r.launch_id = :demo AND n.id <> :demo"
            ),
            {"demo": demo_launch},
        )
        task_cols = columns(connection, "tasks")
        per_task = {
            "launch_id": "n.id",
            "key": "t.key || '-' || k",
            "due_date": "t.due_date - (l.launch_date - n.launch_date)",
            "start_date": "t.start_date - (l.launch_date - n.launch_date)",
            "status": "'done'",
            "completed_at": "t.created_at",
            "position": "t.position + 1000 * k",
        }
        demo_tasks = connection.scalar(
            text("SELECT count(*) FROM tasks WHERE launch_id = :demo"), {"demo": demo_launch}
        )
        copies = -(-TASKS_PER_LAUNCH // max(int(demo_tasks or 1), 1))
        connection.execute(
            text(
                f"INSERT INTO tasks ({', '.join(task_cols)}) "
                f"SELECT {', '.join(per_task.get(c, 't.' + c) for c in task_cols)} "
                "FROM tasks t JOIN launches l ON l.id = t.launch_id "
                "CROSS JOIN launches n CROSS JOIN generate_series(1, :copies) k "
                "WHERE t.launch_id = :demo AND n.id <> :demo"
            ),
            {"demo": demo_launch, "copies": copies},
        )
        connection.execute(
            text(
                "DELETE FROM tasks t USING (SELECT id, row_number() OVER "
                "(PARTITION BY launch_id ORDER BY id) AS n FROM tasks WHERE launch_id <> :demo) x "
                "WHERE t.id = x.id AND x.n > :per_launch"
            ),
            {"demo": demo_launch, "per_launch": TASKS_PER_LAUNCH},
        )
        connection.execute(
            text(
                "INSERT INTO measurements (launch_id, metric, value, observed_at, received_at, "
                "source, idempotency_key) "
                "SELECT l.id, 'signups', g % 997, now() - g * interval '1 minute', "
                "now() - g * interval '1 minute', 'api', 'bulk-' || g "
                "FROM launches l, generate_series(1, :per_launch) g"
            ),
            {"per_launch": MEASUREMENTS_PER_LAUNCH},
        )
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        # What autovacuum does to a live database after a bulk load: statistics and the
        # visibility map (index-only scans), so counts read an index, not every row.
        connection.execute(text("VACUUM ANALYZE"))
        counts = {
            table: int(connection.scalar(text(f"SELECT count(*) FROM {table}")) or 0)
            for table in ("launches", "tasks", "measurements")
        }
    engine.dispose()
    print(f"-- grew the database in {time.perf_counter() - started:.0f}s: {counts}", flush=True)
    return counts


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=DEFAULT_DB)
    parser.add_argument("--redis-url", default=DEFAULT_REDIS)
    parser.add_argument("--scale", type=float, default=1.0, help="1.0: the full size")
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--enforce", action="store_true", help="exit 1 above 2x")
    parser.add_argument("--nice", type=int, default=0, help="niceness of Launchpad (root: -10)")
    parser.add_argument("--keep", action="store_true", help="keep the big database (EXPLAIN)")
    options = parser.parse_args()
    with (
        machine_lock(options.database_url),
        tempfile.TemporaryDirectory(prefix="lp-size-") as workdir,
    ):
        stack = Stack(
            options.database_url,
            options.redis_url,
            Path(workdir),
            workers=0,
            with_cron=False,
            extra_env={"LAUNCHPAD_API_RATE_LIMIT": "1000000 per minute"},
            niceness=options.nice,
        )
        try:
            stack.prepare()
            made = issue_credentials(options.database_url, REPO / "templates")
            stack.start()
            todo = calls(stack, made.launch_id, made.api_token, made.feed_paths, sign_in(stack))
            small = time_calls(stack, todo, options.repeat)
            grow(options.database_url, made.launch_id, options.scale)
            large = time_calls(stack, todo, options.repeat)
            stack.stop()
        except (StackError, OSError) as error:
            stack.stop()
            print(f"DATA-SIZE CHECK FAILED: {error}", file=sys.stderr)
            return 1
        finally:
            if not options.keep:
                drop_database(options.database_url)
            flush_redis(options.redis_url)
    return report(small, large, options.enforce)


def report(
    small: dict[str, tuple[float, float]], large: dict[str, tuple[float, float]], enforce: bool
) -> int:
    print(
        f"\n{'call':<20} {'demo p50':>9} {'demo p95':>9} {'big p50':>9} {'big p95':>9} {'ratio':>6}"
    )
    slow = []
    for name, (p50, p95) in small.items():
        big50, big95 = large[name]
        ratio = big50 / p50 if p50 else 0.0
        flag = "  <-- over 2x" if ratio > RATIO_LIMIT else ""
        print(f"{name:<20} {p50:>9.1f} {p95:>9.1f} {big50:>9.1f} {big95:>9.1f} {ratio:>6.2f}{flag}")
        if ratio > RATIO_LIMIT:
            slow.append(name)
    print(f"\n{len(slow)} of {len(small)} calls over {RATIO_LIMIT:.0f}x: {', '.join(slow) or '-'}")
    return 1 if slow and enforce else 0


if __name__ == "__main__":
    raise SystemExit(main())
