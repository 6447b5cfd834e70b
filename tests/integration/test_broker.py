"""The embedded redis-server, the RQ queues and the one door to them."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
import redis
from rq.job import Job, JobStatus
from rq.serializers import JSONSerializer

import launchpad.broker as broker
from launchpad.background import enqueue, job_id_for
from launchpad.broker import (
    QUEUE_NAMES,
    embedded_redis_running,
    ensure_embedded_redis,
    get_queue,
    stop_embedded_redis,
)
from launchpad.config import ConfigError
from workflows.worker import LaunchpadSimpleWorker

pytestmark = pytest.mark.slow


def _server_pid(url: str) -> int:
    client = redis.Redis.from_url(url)
    try:
        return int(client.info("server")["process_id"])
    finally:
        client.close()


def test_embedded_server_listens_on_a_socket_in_the_instance_dir(instance_dir: Path) -> None:
    url = ensure_embedded_redis(instance_dir)
    assert url == f"unix://{instance_dir.resolve()}/redis.sock"
    assert (instance_dir / "redis.sock").is_socket()
    assert embedded_redis_running(instance_dir)
    assert stop_embedded_redis(instance_dir) is True
    assert not embedded_redis_running(instance_dir)
    assert stop_embedded_redis(instance_dir) is False


def test_second_call_reuses_the_running_server(instance_dir: Path) -> None:
    first = ensure_embedded_redis(instance_dir)
    pid = _server_pid(first)
    assert ensure_embedded_redis(instance_dir) == first
    assert _server_pid(first) == pid
    assert int((instance_dir / "redis.pid").read_text()) == pid


def test_concurrent_starts_from_two_processes_give_one_server(instance_dir: Path) -> None:
    code = (
        "import sys, pathlib, launchpad.broker as b; "
        "print(b.ensure_embedded_redis(pathlib.Path(sys.argv[1])))"
    )
    starters = [
        subprocess.Popen(
            [sys.executable, "-c", code, str(instance_dir)], stdout=subprocess.PIPE, text=True
        )
        for _ in range(2)
    ]
    urls = {starter.communicate(timeout=30)[0].strip() for starter in starters}
    assert all(starter.returncode == 0 for starter in starters)
    assert len(urls) == 1
    log = (instance_dir / "redis.log").read_text()
    assert log.count("ready to accept connections") == 1
    assert _server_pid(urls.pop()) == int((instance_dir / "redis.pid").read_text())


def test_a_socket_path_too_long_asks_for_a_shorter_instance_dir(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="shorter"):
        ensure_embedded_redis(tmp_path / ("x" * 100))


def test_failure_to_start_shows_the_log(
    instance_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:

    fake = instance_dir / "fake-redis-server"
    fake.write_text("#!/bin/sh\necho 'cannot bind, says the log' >> \"$(dirname $0)/redis.log\"\n")
    fake.chmod(0o755)
    monkeypatch.setattr(broker, "redis_server_executable", lambda: fake)
    monkeypatch.setattr(broker, "START_TIMEOUT_SECONDS", 0.3)
    with pytest.raises(broker.EmbeddedRedisError, match="cannot bind, says the log"):
        ensure_embedded_redis(instance_dir)


def test_queues_are_known_and_json(redis_conn: redis.Redis) -> None:
    for name in QUEUE_NAMES:
        assert get_queue(name, redis_conn).serializer is JSONSerializer
    with pytest.raises(ValueError, match="unknown queue"):
        get_queue("default", redis_conn)


def test_enqueue_with_a_deterministic_id_does_not_duplicate(redis_conn: redis.Redis) -> None:
    job_id = job_id_for("test-add", 42)
    assert enqueue(redis_conn, "maintenance", "operator.add", 1, 2, job_id=job_id) == job_id
    assert enqueue(redis_conn, "maintenance", "operator.add", 1, 2, job_id=job_id) == job_id
    assert get_queue("maintenance", redis_conn).job_ids == [job_id]


def test_a_finished_job_id_can_be_enqueued_again(redis_conn: redis.Redis) -> None:
    job_id = job_id_for("test-add", 7)
    enqueue(redis_conn, "maintenance", "operator.add", 1, 2, job_id=job_id)
    _work(redis_conn)
    enqueue(redis_conn, "maintenance", "operator.add", 3, 4, job_id=job_id)
    assert get_queue("maintenance", redis_conn).job_ids == [job_id]
    _work(redis_conn)
    job = Job.fetch(job_id, connection=redis_conn, serializer=JSONSerializer)
    assert job.return_value() == 7


def test_a_job_runs_through_a_worker_with_the_json_serializer(redis_conn: redis.Redis) -> None:
    job_id = enqueue(redis_conn, "kpi", "operator.add", 2, 3)
    heartbeat_id = enqueue(redis_conn, "maintenance", "workflows.maintenance.heartbeat")
    _work(redis_conn)
    job = Job.fetch(job_id, connection=redis_conn, serializer=JSONSerializer)
    assert job.get_status() == JobStatus.FINISHED
    assert job.return_value() == 5
    stamp = redis_conn.get("launchpad:cron:heartbeat")
    heartbeat = Job.fetch(heartbeat_id, connection=redis_conn, serializer=JSONSerializer)
    assert isinstance(stamp, bytes)
    assert heartbeat.return_value() == stamp.decode()


def test_job_arguments_must_be_json(redis_conn: redis.Redis) -> None:
    with pytest.raises(TypeError, match=r"args\[0\]\['when'\]: datetime"):
        enqueue(redis_conn, "kpi", "workflows.x.run", {"when": datetime.now(UTC)})
    with pytest.raises(TypeError, match="not valid JSON"):
        enqueue(redis_conn, "kpi", "workflows.x.run", limit=float("nan"))
    with pytest.raises(ValueError, match="dotted path"):
        enqueue(redis_conn, "kpi", "run")
    with pytest.raises(ValueError, match="may only hold"):
        enqueue(redis_conn, "kpi", "workflows.x.run", job_id="kpi eval 1")
    assert get_queue("kpi", redis_conn).count == 0


def _work(connection: redis.Redis) -> None:
    queues = [get_queue(name, connection) for name in QUEUE_NAMES]
    LaunchpadSimpleWorker(queues, connection=connection, serializer=JSONSerializer).work(burst=True)
