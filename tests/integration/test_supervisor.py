"""``launchpad run``: web, worker and cron start together and stop together."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
import redis

from launchpad.broker import embedded_redis_running
from workflows.maintenance import HEARTBEAT_KEY

from .waiting import wait_for

pytestmark = pytest.mark.slow

RUN = (
    "from launchpad.config import Settings; from launchpad.supervisor import run_all; "
    "raise SystemExit(run_all(Settings.from_env(), '127.0.0.1', 0))"
)


def test_run_all_serves_runs_ticks_and_stops_everything(instance_dir: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LAUNCHPAD_")}
    env["LAUNCHPAD_INSTANCE_DIR"] = str(instance_dir)
    log_path = instance_dir / "run.log"
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            [sys.executable, "-c", RUN], env=env, stdout=subprocess.PIPE, stderr=log, text=True
        )
    try:
        assert process.stdout is not None
        banner = process.stdout.readline()
        match = re.search(r"http://127\.0\.0\.1:\d+/", banner)
        assert match, f"no URL in {banner!r}; log:\n{log_path.read_text()}"
        with urllib.request.urlopen(match.group(0) + "healthz", timeout=10) as response:
            assert json.load(response) == {"status": "ok"}

        client = redis.Redis(unix_socket_path=str(instance_dir / "redis.sock"))
        try:
            ticked = wait_for(lambda: client.get(HEARTBEAT_KEY) is not None, 30)
            assert ticked, log_path.read_text()
        finally:
            client.close()

        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=30) == 0, log_path.read_text()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        if process.stdout is not None:
            process.stdout.close()

    child_pids = [int(pid) for pid in re.findall(r"\(pid (\d+)\)", log_path.read_text())]
    assert len(child_pids) == 2
    for pid in child_pids:
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)
    assert not embedded_redis_running(instance_dir)
