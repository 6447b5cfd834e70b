"""KPI checks: batched evaluation against one job per check, the state machine, the lag.

Everything runs for real in one run: SQLite and the embedded redis-server in a temporary
instance, one forking `python -m workflows.worker` process, and (for the lag) the cron at
its default ticks. Prints figures and ratios, asserts nothing.
Run: `.venv/bin/python benchmarks/bench_kpi.py` (about two minutes).
"""

from __future__ import annotations

import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import timeit
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import redis
from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session, sessionmaker

from launchpad.broker import ensure_embedded_redis, stop_embedded_redis
from launchpad.config import Settings
from launchpad.db import make_engine, make_session_factory
from launchpad.migrate import upgrade
from launchpad.models import KpiTarget, Measurement, OutboxMessage, ScheduledCheck
from launchpad.planning.alert_states import Memory, Policy, step
from launchpad.planning.kpi_expressions import KpiCheck
from launchpad.planning.kpi_outcomes import judge
from launchpad.services.destinations import NewDestination, create_destination
from launchpad.services.launch_planning import NewLaunch, create_launch
from launchpad.services.people import create_user
from launchpad.supervisor import child_environment
from launchpad.tuning import Tuning
from workflows.context import JobContext
from workflows.kpi_checks import sweep

REPO = Path(__file__).resolve().parents[1]
CHECKS, PER_TARGET, SINGLE_SAMPLE, LAG_CHECKS, LAG_WINDOW = 10_000, 10, 600, 2_000, 40


def main() -> None:
    directory = Path(tempfile.mkdtemp(prefix="lpb-"))
    url = f"sqlite:///{directory / 'bench.db'}"
    try:
        upgrade(url)
        redis_url = ensure_embedded_redis(directory)
        settings = Settings.from_env(
            {}, instance_dir=directory, database_url=url, redis_url=redis_url
        )
        sessions = make_session_factory(make_engine(url))
        launch_id = seed(sessions, settings)
        state_machine()
        batched = evaluate_all(sessions, settings, launch_id, CHECKS, batch=500, label="batched")
        single = evaluate_all(
            sessions, settings, launch_id, SINGLE_SAMPLE, batch=1, label="one job per check"
        )
        print(f"  batched is {batched / single:.1f}x faster per check than one job per check")
        lag(sessions, settings, launch_id)
    finally:
        stop_embedded_redis(directory)
        shutil.rmtree(directory, ignore_errors=True)


def seed(sessions: sessionmaker[Session], settings: Settings) -> int:
    with sessions() as session:
        now = datetime.now(UTC)
        pm = create_user(session, email="pm@bench.example", password=None, role="pm", now=now)
        request = NewLaunch("feature-release", "Bench", date.today() - timedelta(days=60))
        launch = create_launch(session, REPO / "templates", request, actor=pm, now=now)
        for new in (
            NewDestination("in_app", "inbox", launch_id=launch.id),
            NewDestination(
                "webhook", "hook", "http://127.0.0.1:9/x", launch_id=launch.id, allow_private=True
            ),
        ):
            create_destination(session, new, secret_key=settings.secret_key, now=now)
        session.commit()
        return launch.id


def make_due_checks(
    sessions: sessionmaker[Session],
    launch_id: int,
    count: int,
    tag: str,
    ready: list[datetime] | None = None,
) -> None:
    """`count` checks of `count / PER_TARGET` targets, each metric with pushed values."""
    now = datetime.now(UTC)
    targets = count // PER_TARGET
    with sessions() as session:
        rows = [
            {
                "launch_id": launch_id,
                "key": f"{tag}{n}",
                "name": f"{tag} {n}",
                "metric": f"{tag}.m{n}",
                "comparator": ">=",
                "threshold": 50.0,
                "unit": "",
                "created_at": now,
                "pending_evals": 2,
                "keep_firing_evals": 1,
                "grace_seconds": 0,
            }
            for n in range(targets)
        ]
        ids = session.execute(
            insert(KpiTarget).returning(KpiTarget.id, KpiTarget.metric), rows
        ).all()
        checks, values = [], []
        for index, (target_id, metric) in enumerate(ids):
            for k in range(PER_TARGET):
                due = now - timedelta(hours=PER_TARGET - k)
                at = ready[index * PER_TARGET + k] if ready else due
                checks.append(
                    {
                        "target_id": target_id,
                        "due_at": due,
                        "ready_at": at,
                        "final": False,
                        "status": "scheduled",
                        "attempts": 0,
                        "evaluations": 0,
                    }
                )
                values.append(
                    {
                        "launch_id": launch_id,
                        "metric": metric,
                        "value": float(random.randint(0, 100)),
                        "observed_at": due - timedelta(minutes=5),
                        "received_at": due,
                        "source": "api",
                        "idempotency_key": f"{metric}-{k}",
                    }
                )
        session.execute(insert(Measurement), values)
        session.execute(insert(ScheduledCheck), checks)
        session.commit()


class Worker:
    """One forking RQ worker process, started and warmed up before the clock starts."""

    def __init__(self, settings: Settings, *queues: str, **env: str) -> None:
        environment = {**child_environment(settings), **env}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "workflows.worker", *queues],
            env=environment,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        connection = redis.Redis.from_url(settings.redis_url or "")
        while not connection.smembers("rq:workers"):  # registered: listening on its queues
            time.sleep(0.05)

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


def evaluate_all(
    sessions: sessionmaker[Session],
    settings: Settings,
    launch_id: int,
    count: int,
    *,
    batch: int,
    label: str,
) -> float:
    """Checks per second from "all due" to "all evaluated, outbox written"."""
    tag = f"b{batch}x"
    make_due_checks(sessions, launch_id, count, tag)
    # Only the kpi queue: the measure is "due to evaluated, outbox written"; delivering the
    # outbox is another worker's (or a later) job and would blur the comparison.
    worker = Worker(settings, "--queues", "kpi", LAUNCHPAD_CHECK_BATCH_SIZE=str(batch))
    ctx = JobContext(
        sessions,
        settings,
        Tuning(check_batch_size=batch),
        redis.Redis.from_url(settings.redis_url or ""),
    )
    started = time.perf_counter()
    sweep(ctx)
    waiting = (
        select(func.count()).select_from(ScheduledCheck).where(ScheduledCheck.status != "done")
    )
    with sessions() as session:
        while session.scalar(waiting):
            session.commit()
            time.sleep(0.05)
        elapsed = time.perf_counter() - started
        outbox = session.scalar(select(func.count()).select_from(OutboxMessage))
    worker.stop()
    rate = count / elapsed
    print(
        f"{label}: {count} due checks evaluated in {elapsed:.2f} s ({rate:.0f} checks/s, "
        f"{elapsed / count * 1000:.2f} ms each); outbox rows so far: {outbox}"
    )
    return rate


def state_machine() -> None:
    check = KpiCheck("signups", ">=", 100.0)
    policy = Policy(pending_evals=2, keep_firing_evals=2, repeat_interval=timedelta(hours=4))
    at = datetime(2027, 3, 9, 8, tzinfo=UTC)
    values = [random.choice((40.0, 150.0, None)) for _ in range(1000)]

    def run() -> None:
        memory = Memory()
        for index, value in enumerate(values):
            outcome = judge(check, value)
            memory = step(memory, outcome, policy, at + timedelta(hours=index)).memory

    samples = timeit.repeat(run, number=5, repeat=5)
    per_check = statistics.median(samples) / (5 * len(values)) * 1e6
    print(f"state machine: judge + step median {per_check:.1f} µs per check")


def lag(sessions: sessionmaker[Session], settings: Settings, launch_id: int) -> None:
    """Checks becoming ready over LAG_WINDOW s, the cron at its default ticks."""
    start = datetime.now(UTC) + timedelta(seconds=3)
    ready = sorted(
        start + timedelta(seconds=random.uniform(0, LAG_WINDOW)) for _ in range(LAG_CHECKS)
    )
    make_due_checks(sessions, launch_id, LAG_CHECKS, "lag", ready)
    worker = Worker(settings)
    cron = subprocess.Popen(
        [sys.executable, "-m", "workflows.cron"],
        env=child_environment(settings),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    waiting = (
        select(func.count()).select_from(ScheduledCheck).where(ScheduledCheck.status != "done")
    )
    with sessions() as session:
        while session.scalar(waiting):
            session.commit()
            time.sleep(0.5)
        lags = sorted(
            (c.evaluated_at - c.ready_at).total_seconds()
            for c in session.scalars(select(ScheduledCheck).where(ScheduledCheck.ready_at >= start))
        )
    cron.terminate()
    cron.wait(timeout=30)
    worker.stop()
    p99 = lags[int(len(lags) * 0.99) - 1]
    print(
        f"lag at the default tick ({LAG_CHECKS} checks ready over {LAG_WINDOW} s): "
        f"median {statistics.median(lags):.1f} s, p99 {p99:.1f} s, max {lags[-1]:.1f} s"
    )


if __name__ == "__main__":
    for name in ("LAUNCHPAD_TICK_SECONDS", "LAUNCHPAD_CHECK_BATCH_SIZE"):
        os.environ.pop(name, None)  # the lag is measured at the default tick
    main()
