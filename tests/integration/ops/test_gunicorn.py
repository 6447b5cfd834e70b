"""``launchpad web`` under gunicorn: settings, access log, proxies and a graceful stop."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from launchpad.config import ConfigError
from launchpad.gunicorn_config import default_workers, validate, web_options
from launchpad.gunicorn_logging import access_fields

from .servers import free_port

LAUNCHPAD = str(Path(sys.executable).with_name("launchpad"))


def test_workers_follow_the_cores_with_a_cap() -> None:
    assert [default_workers(n) for n in (None, 1, 2, 3, 16)] == [3, 3, 5, 7, 8]


def test_environment_overrides_and_checks() -> None:
    options = web_options(
        {"LAUNCHPAD_WEB_WORKERS": "2", "LAUNCHPAD_WEB_THREADS": "8", "LAUNCHPAD_WEB_TIMEOUT": "60"},
        "0.0.0.0",
        8000,
        cpus=2,
    )
    assert (options["workers"], options["threads"], options["timeout"]) == (2, 8, 60)
    assert options["bind"] == ["0.0.0.0:8000"]
    assert options["worker_class"] == "gthread"
    assert options["forwarded_allow_ips"] == ""
    assert web_options({}, "::1", 80, cpus=1)["bind"] == ["[::1]:80"]
    with pytest.raises(ConfigError, match="LAUNCHPAD_WEB_WORKERS"):
        validate(web_options({"LAUNCHPAD_WEB_WORKERS": "0"}, "h", 1))
    with pytest.raises(ConfigError, match="whole number"):
        web_options({"LAUNCHPAD_WEB_THREADS": "many"}, "h", 1)


def test_access_fields_hide_feed_tokens() -> None:
    fields = access_fields(
        {"PATH_INFO": "/cal/abcdef/x.ics", "QUERY_STRING": "format=todo", "REQUEST_METHOD": "GET"},
        304,
        0,
        0.0021,
    )
    assert fields["target"] == "/cal/[redacted]/x.ics?format=todo"
    assert fields["duration_ms"] == 2.1
    invitation = access_fields({"PATH_INFO": "/invitations/s3cret"}, 200, 10, 0.001)
    assert invitation["target"] == "/invitations/[redacted]"


@pytest.fixture
def web_process(
    tmp_path: Path, database_url: str, redis_url: str
) -> Iterator[tuple[subprocess.Popen[bytes], int, Path]]:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("LAUNCHPAD_")}
    env.update(
        LAUNCHPAD_DATABASE_URL=database_url,
        LAUNCHPAD_REDIS_URL=redis_url,
        LAUNCHPAD_INSTANCE_DIR=str(tmp_path / "instance"),
        LAUNCHPAD_SECRET_KEY="gunicorn-test-secret-0123456789",
        LAUNCHPAD_WEB_WORKERS="2",
        LAUNCHPAD_TRUSTED_PROXIES="1",
    )
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)
    log = tmp_path / "web.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [LAUNCHPAD, "web", "--port", str(port)], env=env, stdout=out, stderr=subprocess.STDOUT
        )
    try:
        _wait_until_up(port, process)
        yield process, port, log
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def _wait_until_up(port: int, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        assert process.poll() is None, "launchpad web exited"
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1).close()
            return
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.1)
    raise AssertionError("launchpad web did not answer")


def _get(port: int, path: str, headers: dict[str, str]) -> int:
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=5) as answer:
            return int(answer.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


@pytest.mark.slow
def test_gunicorn_logs_json_without_secrets_and_stops_gracefully(
    web_process: tuple[subprocess.Popen[bytes], int, Path],
) -> None:
    process, port, log = web_process
    secret_headers = {
        "Authorization": "Bearer lp_do-not-log-me",
        "X-Request-ID": "gunicorn-test-1",
        "X-Forwarded-For": "198.51.100.23",
    }
    assert _get(port, "/cal/feed-secret-token/mine.ics", secret_headers) == 404
    assert _get(port, "/api/v1/launches", secret_headers) == 401
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=30) == 0

    text = log.read_text()
    assert "feed-secret-token" not in text
    assert "do-not-log-me" not in text
    lines = [json.loads(line) for line in text.splitlines()]
    access = [line for line in lines if line["logger"] == "gunicorn.access"]
    feed = next(line for line in access if "/cal/" in line["http"]["target"])
    assert feed["http"]["target"] == "/cal/[redacted]/mine.ics"
    assert feed["request_id"] == "gunicorn-test-1"
    assert feed["http"]["remote"] == "198.51.100.23"  # one trusted proxy
    assert any("Shutting down" in line["message"] for line in lines)


def test_bad_web_settings_stop_the_start_with_a_message(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LAUNCHPAD_")}
    env.update(LAUNCHPAD_INSTANCE_DIR=str(tmp_path), LAUNCHPAD_WEB_WORKERS="0")
    done = subprocess.run(
        [LAUNCHPAD, "web", "--port", str(free_port())],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert "LAUNCHPAD_WEB_WORKERS=0 must be at least 1" in done.stderr
