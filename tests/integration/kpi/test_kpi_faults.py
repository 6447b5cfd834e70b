"""Faults with real processes: workers SIGKILLed mid-evaluation and mid-delivery, Redis
flushed with work in flight, two crons at once, a difficult receiver, DST and a worker in
another time zone. Each check is evaluated once; each notification is delivered at least
once and recorded once."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
import redis
from pytest_httpserver import HTTPServer
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from werkzeug import Request, Response

from launchpad.config import Settings
from launchpad.db import make_session_factory
from launchpad.models import DeliveryAttempt, Destination, KpiTarget, OutboxMessage, ScheduledCheck
from launchpad.services.destinations import NewDestination, create_destination
from launchpad.services.outbox import event_destinations, publish_event
from launchpad.supervisor import child_environment
from launchpad.tuning import Tuning
from workflows.context import JobContext
from workflows.kpi_checks import sweep
from workflows.notifications import dispatch

from ..waiting import wait_for

pytestmark = pytest.mark.slow

FAST_ENV = {
    "LAUNCHPAD_TICK_SECONDS": "1",
    "LAUNCHPAD_CHECK_LEASE_SECONDS": "2",
    "LAUNCHPAD_DELIVERY_LEASE_SECONDS": "2",
    "LAUNCHPAD_RETRY_BASE_SECONDS": "0.2",
    "LAUNCHPAD_RETRY_CAP_SECONDS": "1",
    "LAUNCHPAD_CONNECT_TIMEOUT": "1",
    "LAUNCHPAD_READ_TIMEOUT": "0.5",
    "LAUNCHPAD_CHECK_BATCH_SIZE": "10",
}


class Fleet:
    """Worker and cron processes in their own process groups; all killed at the end."""

    def __init__(self, settings: Settings, failpoints: Path) -> None:
        self.env = {
            **child_environment(settings),
            **FAST_ENV,
            "LAUNCHPAD_FAILPOINT_DIR": str(failpoints),
        }
        self.failpoints = failpoints
        self.processes: list[subprocess.Popen[bytes]] = []

    def start(self, module: str, **env: str) -> subprocess.Popen[bytes]:
        log_path = self.failpoints.parent / f"{module}-{len(self.processes)}.log"
        with open(log_path, "wb") as log:  # kept for a failing test's post-mortem
            process = subprocess.Popen(
                [sys.executable, "-m", module],
                env={**self.env, **env},
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.processes.append(process)
        return process

    def kill(self, process: subprocess.Popen[bytes]) -> None:
        """SIGKILL the worker and its paused work horse (RQ gives each horse its own session)."""
        for paused in self.failpoints.glob("*"):
            _kill(int(paused.read_text() or 0))
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)

    def paused_at(self, name: str, timeout: float = 20) -> bool:
        marker = self.failpoints / name
        return wait_for(lambda: marker.exists() and marker.read_text() != "", timeout)

    def stop_all(self) -> None:
        """SIGTERM first (a worker lets its horse finish), so no horse outlives the test."""
        for process in self.processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes:
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=5)
            self.kill(process)


def _kill(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)


@pytest.fixture
def fleet(settings: Settings, tmp_path: Path, redis_conn: redis.Redis) -> Iterator[Fleet]:
    started = Fleet(settings, tmp_path / "failpoints")
    try:
        yield started
    finally:
        started.stop_all()


def now() -> datetime:
    return datetime.now(UTC)


def due_targets(session: Session, launch_id: int, targets: int, checks: int) -> list[KpiTarget]:
    """`targets` targets with `checks` hourly checks each, all due a while ago."""
    made = []
    start = now() - timedelta(hours=checks + 1)
    for number in range(targets):
        target = KpiTarget(
            launch_id=launch_id,
            key=f"f{number}",
            name=f"Fault {number}",
            metric="signups",
            comparator=">=",
            threshold=100.0,
            unit="",
            created_at=start,
            grace_seconds=0,
        )
        session.add(target)
        session.flush()
        for hour in range(checks):
            session.add(
                ScheduledCheck(
                    target_id=target.id,
                    due_at=start + timedelta(hours=hour),
                    ready_at=start + timedelta(hours=hour),
                    final=False,
                    status="scheduled",
                    attempts=0,
                    evaluations=0,
                )
            )
        made.append(target)
    session.commit()
    return made


def webhook(session: Session, settings: Settings, url: str, launch_id: int | None = None) -> int:
    new = NewDestination("webhook", "receiver", url, launch_id=launch_id, allow_private=True)
    made, _ = create_destination(session, new, secret_key=settings.secret_key, now=now())
    session.commit()
    return made.id


def count(session: Session, query) -> int:  # type: ignore[no-untyped-def]
    session.commit()
    return int(session.scalar(query) or 0)


def all_done(session: Session) -> Callable[[], bool]:
    waiting = (
        select(func.count()).select_from(ScheduledCheck).where(ScheduledCheck.status != "done")
    )
    return lambda: count(session, waiting) == 0


def all_delivered(session: Session) -> Callable[[], bool]:
    open_ = (
        select(func.count())
        .select_from(OutboxMessage)
        .where(OutboxMessage.status.in_(("pending", "sending")))
    )
    return lambda: (
        count(session, open_) == 0
        and count(session, select(func.count()).select_from(OutboxMessage)) > 0
    )


def evaluations(session: Session) -> Counter[int]:
    session.commit()
    return Counter(session.scalars(select(ScheduledCheck.evaluations)))


def test_a_worker_killed_mid_evaluation_loses_nothing(session, launch, settings, fleet, httpserver):
    httpserver.expect_request("/hook").respond_with_data("ok")
    webhook(session, settings, httpserver.url_for("/hook"), launch.id)
    targets = due_targets(session, launch.id, targets=3, checks=4)
    fleet.start("workflows.cron")
    doomed = fleet.start("workflows.worker", LAUNCHPAD_FAILPOINTS="kpi-evaluated")
    assert fleet.paused_at("kpi-evaluated")
    fleet.kill(doomed)
    assert evaluations(session)[0] == 12  # the killed transaction left nothing behind
    fleet.start("workflows.worker")
    assert wait_for(all_done(session), 30) and wait_for(all_delivered(session), 30)
    assert evaluations(session) == Counter({1: 12})
    keys = [request.headers["webhook-id"] for request, _ in httpserver.log]
    hook = session.scalar(select(Destination.id))
    assert sorted(set(keys)) == sorted(f"kpi-{t.id}-1-no_data-1-{hook}" for t in targets)


def test_a_worker_killed_mid_delivery_delivers_again_and_records_once(
    session, launch, settings, fleet, httpserver
):
    httpserver.expect_request("/hook").respond_with_data("ok")
    webhook(session, settings, httpserver.url_for("/hook"), launch.id)
    due_targets(session, launch.id, targets=1, checks=1)
    fleet.start("workflows.cron")
    doomed = fleet.start("workflows.worker", LAUNCHPAD_FAILPOINTS="delivery-sent")
    assert fleet.paused_at("delivery-sent")
    fleet.kill(doomed)  # the receiver has it; our record of it died with the worker
    fleet.start("workflows.worker")
    assert wait_for(all_delivered(session), 30)
    ids = [request.headers["webhook-id"] for request, _ in httpserver.log]
    assert len(ids) >= 2 and len(set(ids)) == 1  # at least once, same id for dedup
    (message,) = session.scalars(select(OutboxMessage)).all()
    assert message.status == "delivered" and message.attempts >= 2


def test_a_flushed_redis_loses_no_check_and_no_notification(
    session, engine, launch, settings, fleet, httpserver, redis_conn
):
    httpserver.expect_request("/hook").respond_with_data("ok")
    webhook(session, settings, httpserver.url_for("/hook"), launch.id)
    due_targets(session, launch.id, targets=4, checks=3)
    ctx = JobContext(make_session_factory(engine), settings, Tuning.from_env(FAST_ENV), redis_conn)
    assert sweep(ctx) == 12  # claimed and committed; the evaluation jobs wait in Redis
    publish_event(
        session,
        key="evt",
        event_type="launch.created",
        payload={"path": "/"},
        destinations=event_destinations(session, launch.id),
        now=now(),
    )
    session.commit()
    assert dispatch(ctx) == 1  # claimed; its delivery job waits in Redis
    redis_conn.flushdb()
    fleet.start("workflows.cron")
    fleet.start("workflows.worker")
    assert wait_for(all_done(session), 30) and wait_for(all_delivered(session), 30)
    assert evaluations(session) == Counter({1: 12})
    ids = {request.headers["webhook-id"] for request, _ in httpserver.log}
    assert len(ids) == 5  # the event and four no-data alerts


def test_two_crons_and_two_workers_evaluate_each_check_once(
    session, launch, settings, fleet, httpserver
):
    httpserver.expect_request("/hook").respond_with_data("ok")
    webhook(session, settings, httpserver.url_for("/hook"), launch.id)
    due_targets(session, launch.id, targets=20, checks=10)
    for module in ("workflows.cron", "workflows.cron", "workflows.worker", "workflows.worker"):
        fleet.start(module)
    assert wait_for(all_done(session), 30) and wait_for(all_delivered(session), 30)
    assert evaluations(session) == Counter({1: 200})
    keys = session.scalars(select(OutboxMessage.idempotency_key)).all()
    assert len(keys) == len(set(keys)) == 20
    assert len({request.headers["webhook-id"] for request, _ in httpserver.log}) == 20


def test_a_difficult_receiver(session, launch, settings, fleet, httpserver: HTTPServer):
    """500, 500, 200; then 410; then 429 with Retry-After; then hanging past the timeout."""
    script = {"/flaky": [500, 500, 200], "/gone": [410], "/busy": [429, 200], "/slow": [0, 200]}
    seen: Counter[str] = Counter()

    def answer(request: Request) -> Response:
        seen[request.path] += 1
        plan = script[request.path]
        status = plan[min(seen[request.path], len(plan)) - 1]
        if status == 0:
            time.sleep(1.5)  # past the 0.5 s read timeout
            return Response("too late")
        headers = {"Retry-After": "1"} if status == 429 else {}
        return Response("", status=status, headers=headers)

    for path in script:
        httpserver.expect_request(path).respond_with_handler(answer)
    server_ids = {
        path: webhook(session, settings, httpserver.url_for(path), launch.id) for path in script
    }
    due_targets(session, launch.id, targets=1, checks=1)
    fleet.start("workflows.cron")
    fleet.start("workflows.worker")
    settled = (
        select(func.count())
        .select_from(OutboxMessage)
        .where(OutboxMessage.status.in_(("delivered", "failed")))
    )
    assert wait_for(lambda: count(session, settled) == 4, 40)
    status = {
        m.destination_id: (m.status, m.attempts) for m in session.scalars(select(OutboxMessage))
    }
    assert status[server_ids["/flaky"]] == ("delivered", 3)
    assert status[server_ids["/gone"]] == ("failed", 1)
    assert status[server_ids["/busy"]] == ("delivered", 2)
    assert status[server_ids["/slow"]] == ("delivered", 2)
    assert not session.get_one(Destination, server_ids["/gone"]).enabled
    assert count(session, select(func.count()).select_from(DeliveryAttempt)) == 8


def test_dst_and_a_worker_in_another_time_zone(session, make_launch, settings, fleet):
    """A daily 09:00 Berlin target across the spring change, run by a worker in Auckland."""
    launch = make_launch(name="Spring", launch_date=date(2026, 3, 26))
    target = KpiTarget(
        launch_id=launch.id,
        key="daily",
        name="Daily",
        metric="signups",
        comparator=">=",
        threshold=1.0,
        unit="",
        every="1d",
        from_offset="0d",
        until_offset="+4d",
        created_at=now(),
        grace_seconds=0,
    )
    session.add(target)
    session.commit()
    fleet.start("workflows.cron", TZ="America/Los_Angeles")
    fleet.start("workflows.worker", TZ="Pacific/Auckland")
    mine = (
        select(func.count())
        .select_from(ScheduledCheck)
        .where(ScheduledCheck.target_id == target.id, ScheduledCheck.status == "done")
    )
    assert wait_for(lambda: count(session, mine) == 5, 30)
    checks = session.scalars(
        select(ScheduledCheck)
        .where(ScheduledCheck.target_id == target.id)
        .order_by(ScheduledCheck.due_at)
    ).all()
    assert [c.due_at.hour for c in checks] == [8, 8, 8, 7, 7]  # 09:00 CET, then 09:00 CEST
    assert [c.final for c in checks] == [False] * 4 + [True]
    assert all(c.evaluations == 1 for c in checks)
