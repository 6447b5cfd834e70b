"""The worker and cron processes: ticks are JSON jobs with fixed ids, workers run them."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from datetime import UTC, datetime, timedelta

import pytest
import redis
from rq.serializers import JSONSerializer

from launchpad.background import enqueue
from launchpad.broker import QUEUE_NAMES, get_queue
from launchpad.config import Settings
from launchpad.supervisor import child_environment
from workflows.cron import TICKS, Tick, build_cron
from workflows.maintenance import HEARTBEAT_KEY
from workflows.worker import LaunchpadSimpleWorker, LaunchpadWorker

pytestmark = pytest.mark.slow


def test_every_tick_names_a_known_queue() -> None:
    assert TICKS
    assert all(tick.queue in QUEUE_NAMES and tick.seconds > 0 for tick in TICKS)


def test_cron_enqueues_each_tick_once_while_it_waits(redis_conn: redis.Redis) -> None:
    cron = build_cron(redis_conn, (Tick("workflows.maintenance.heartbeat", 30),))
    assert [job.name for job in cron.enqueue_jobs()] == ["workflows.maintenance.heartbeat"]
    for job in cron.get_jobs():
        job.next_enqueue_time = datetime.now(UTC) - timedelta(seconds=1)
    cron.enqueue_jobs()
    queue = get_queue("maintenance", redis_conn)
    assert queue.job_ids == ["cron-workflows_maintenance_heartbeat"]
    LaunchpadSimpleWorker([queue], connection=redis_conn, serializer=JSONSerializer).work(
        burst=True
    )
    assert redis_conn.get(HEARTBEAT_KEY) is not None


def test_worker_process_runs_queued_jobs_in_burst_mode(
    settings: Settings, redis_conn: redis.Redis
) -> None:
    enqueue(redis_conn, "maintenance", "workflows.maintenance.heartbeat")
    result = subprocess.run(
        [sys.executable, "-m", "workflows.worker", "--burst"],
        env=child_environment(settings),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert redis_conn.get(HEARTBEAT_KEY) is not None
    assert get_queue("maintenance", redis_conn).count == 0


def test_worker_refuses_bad_settings_with_a_message(settings: Settings) -> None:
    env = {**child_environment(settings), "LAUNCHPAD_BASE_URL": "launch.example.com"}
    result = subprocess.run(
        [sys.executable, "-m", "workflows.worker", "--burst"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode != 0
    assert "LAUNCHPAD_BASE_URL" in result.stderr


def test_the_worker_stops_its_command_listener_promptly(redis_conn: redis.Redis) -> None:
    """A listener that already saw the unsubscribe used to wait out RQ's 60 s poll."""
    worker = LaunchpadWorker([get_queue("maintenance", redis_conn)], connection=redis_conn)
    worker.subscribe()
    assert worker.pubsub is not None and worker.pubsub_thread is not None
    time.sleep(0.3)  # the listener is subscribed and polling
    worker.pubsub.unsubscribe()
    time.sleep(0.5)  # ... and has read the unsubscribe: now it waits between polls
    stopping = threading.Thread(target=worker.unsubscribe, daemon=True)
    stopping.start()
    stopping.join(timeout=15)
    assert not stopping.is_alive(), "unsubscribe() is still waiting for the listener"
    assert not worker.pubsub_thread.is_alive()
