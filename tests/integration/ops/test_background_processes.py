"""The cron process against a Redis that goes away and comes back; worker and cron log format.

The cron runs as a real ``python -m workflows.cron`` on a private redis-server that the
test stops and restarts (an empty Redis, as after a restart without persistence).
"""

from __future__ import annotations

import contextlib
import io
import json
import logging
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis

from launchpad.config import ConfigError
from workflows import runtime
from workflows.cron import RedisBackoff

from ..waiting import wait_for
from .servers import PrivateRedis

pytestmark = pytest.mark.slow

HEARTBEAT_JOB = "rq:job:cron-workflows_maintenance_heartbeat"
JSON_KEYS = {"ts", "level", "logger", "pid", "request_id", "message"}


@pytest.fixture
def cron_process(
    private_redis: PrivateRedis, tmp_path: Path
) -> Iterator[tuple[subprocess.Popen[bytes], Path]]:
    log_path = tmp_path / "cron.log"
    env = {
        **os.environ,
        "LAUNCHPAD_INSTANCE_DIR": str(tmp_path / "instance"),
        "LAUNCHPAD_REDIS_URL": private_redis.url,
        "LAUNCHPAD_SECRET_KEY": "cron-test-secret-key-0123456789",
        "LAUNCHPAD_TICK_SECONDS": "1",
        "LAUNCHPAD_LOG_FORMAT": "json",
        "PYTHONUNBUFFERED": "1",
    }
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "workflows.cron"],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        yield process, log_path
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


def log_records(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def test_cron_waits_for_redis_and_resumes_its_ticks(
    cron_process: tuple[subprocess.Popen[bytes], Path], private_redis: PrivateRedis
) -> None:
    process, log_path = cron_process
    jobs = redis.Redis.from_url(private_redis.url, socket_connect_timeout=1)

    def ticked() -> bool:
        with contextlib.suppress(redis.ConnectionError):
            return bool(jobs.exists(HEARTBEAT_JOB))
        return False

    def warnings() -> int:
        return log_path.read_text().count("redis unavailable, retrying in")

    assert wait_for(ticked, 10), log_path.read_text()
    private_redis.stop()
    assert wait_for(lambda: warnings() >= 1, 10), log_path.read_text()
    assert process.poll() is None, log_path.read_text()

    private_redis.start()  # empty: the ticks and the registry entry must come back
    assert not ticked()
    assert wait_for(ticked, 10), log_path.read_text()
    assert wait_for(lambda: jobs.zcard("rq:cron_schedulers") == 1, 10), log_path.read_text()

    private_redis.stop()  # and SIGTERM while Redis is away still stops it at once
    seen = warnings()
    assert wait_for(lambda: warnings() > seen, 10), log_path.read_text()
    asked = time.monotonic()
    os.killpg(process.pid, signal.SIGTERM)
    assert process.wait(timeout=5) == 0, log_path.read_text()
    assert time.monotonic() - asked < 2

    records = log_records(log_path)  # LAUNCHPAD_LOG_FORMAT=json: every line is an object
    assert all(record.keys() >= JSON_KEYS for record in records)
    retrying = [r for r in records if str(r["message"]).startswith("redis unavailable")]
    assert retrying and {r["level"] for r in retrying} == {"warning"}
    assert {r["logger"] for r in retrying} == {"workflows.cron"}  # not `__main__`
    assert any(r["message"] == "redis is back: ticks resume" for r in records)
    jobs.close()


def test_the_cron_backs_off_like_the_worker_up_to_a_cap() -> None:
    backoff = RedisBackoff()
    assert [backoff.next_delay() for _ in range(7)] == [1, 2, 4, 8, 16, 30, 30]
    backoff.reset()
    assert backoff.next_delay() == 1
    assert runtime.REDIS_RETRY_MAX_SECONDS == 30


@pytest.fixture
def root_logging() -> Iterator[logging.Logger]:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    try:
        yield root
    finally:
        for handler in list(root.handlers):
            root.removeHandler(handler)
        for handler in handlers:
            root.addHandler(handler)
        root.setLevel(level)


def _captured(root: logging.Logger) -> io.StringIO:
    stream = io.StringIO()
    handler = root.handlers[-1]
    assert isinstance(handler, logging.StreamHandler)
    handler.setStream(stream)
    return stream


def test_worker_and_cron_log_json_when_configured(root_logging: logging.Logger) -> None:
    runtime.configure_logging(environ={"LAUNCHPAD_LOG_FORMAT": "json"})
    stream = _captured(root_logging)
    logging.getLogger("workflows.cron").warning("feed /cal/secret-token/x.ics is %s", "late")
    record = json.loads(stream.getvalue())
    assert record.keys() >= JSON_KEYS
    assert record["level"] == "warning"
    assert record["logger"] == "workflows.cron"
    assert record["message"] == "feed /cal/[redacted]/x.ics is late"


def test_worker_and_cron_log_plain_lines_by_default(root_logging: logging.Logger) -> None:
    runtime.configure_logging(environ={})
    stream = _captured(root_logging)
    logging.getLogger("rq.worker").info("listening")
    line = stream.getvalue()
    assert " INFO rq.worker [" in line and line.rstrip().endswith("listening")
    with pytest.raises(ConfigError, match="LAUNCHPAD_LOG_FORMAT"):
        runtime.configure_logging(environ={"LAUNCHPAD_LOG_FORMAT": "xml"})
