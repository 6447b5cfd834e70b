"""The container health probes: healthy only when this host's process is registered."""

from __future__ import annotations

import socket
from dataclasses import replace

import pytest
import redis
from rq import Worker

from launchpad.broker import QUEUE_NAMES, get_queue
from launchpad.config import Settings
from launchpad.container_probes import main, probe


def test_worker_probe_needs_a_worker_of_this_host(
    settings: Settings, redis_conn: redis.Redis, redis_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LAUNCHPAD_REDIS_URL", redis_url)
    monkeypatch.setenv("LAUNCHPAD_INSTANCE_DIR", str(settings.instance_dir))
    monkeypatch.setenv("LAUNCHPAD_SECRET_KEY", "probe-test-secret-0123456789")
    assert main(["worker"]) == 1
    assert probe("worker", settings, 0) == (
        f"no worker registered in Redis from host {socket.gethostname()}"
    )
    worker = Worker([get_queue(name, redis_conn) for name in QUEUE_NAMES], connection=redis_conn)
    worker.register_birth()
    try:
        assert probe("worker", settings, 0) is None
        assert main(["worker"]) == 0
    finally:
        worker.register_death()


def test_probes_say_when_redis_or_web_is_away(settings: Settings) -> None:
    away = replace(settings, redis_url="redis://127.0.0.1:1/0")
    assert probe("cron", away, 0) == "Redis unreachable (ConnectionError)"
    problem = probe("web", settings, 1)
    assert problem is not None and problem.startswith("/healthz unreachable")
