"""The issue's promise for `make run`: the demo's KPI target is checked a minute after
start-up and its alert shows in the owners' inboxes and in `launchpad dev-receiver`.

The same steps as the Makefile (`db upgrade`, `seed-demo`, `run`) in a fresh instance
directory on the embedded defaults (SQLite and the embedded Redis), with the receiver on
the demo's port. It waits out the real minute: this is the one test that does.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select

from launchpad.models import Notification, User
from launchpad.services.demo import DEMO_ADMIN
from launchpad.services.demo_alerts import CHECK_AFTER, RECEIVER_URL

pytestmark = pytest.mark.slow

LAUNCHPAD = "import sys; from launchpad.cli import cli; cli(sys.argv[1:], prog_name='launchpad')"
RECEIVER_PORT = RECEIVER_URL.split(":")[2].split("/")[0]


def _launchpad(*args: str, env: dict[str, str], log: Path) -> subprocess.Popen[str]:
    with open(log, "w") as out:
        return subprocess.Popen(
            [sys.executable, "-c", LAUNCHPAD, *args],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            text=True,
        )


def _stop(process: subprocess.Popen[str]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def test_make_run_demo_alert_reaches_inbox_and_receiver(instance_dir: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LAUNCHPAD_")}
    env["LAUNCHPAD_INSTANCE_DIR"] = str(instance_dir)
    for step in (("db", "upgrade"), ("seed-demo",)):
        done = subprocess.run(
            [sys.executable, "-c", LAUNCHPAD, *step], env=env, capture_output=True, text=True
        )
        assert done.returncode == 0, done.stdout + done.stderr
    seeded = datetime.now(UTC)

    receiver_log, run_log = instance_dir / "receiver.log", instance_dir / "run.log"
    receiver = _launchpad("dev-receiver", "--port", RECEIVER_PORT, env=env, log=receiver_log)
    run = _launchpad("run", "--port", "0", env=env, log=run_log)
    engine = create_engine(f"sqlite:///{instance_dir / 'launchpad.db'}")
    try:
        deadline = time.monotonic() + CHECK_AFTER.total_seconds() + 90
        inbox: list[tuple[str, datetime]] = []
        while time.monotonic() < deadline:
            assert run.poll() is None, run_log.read_text()
            assert receiver.poll() is None, receiver_log.read_text()
            with engine.connect() as connection:
                inbox = [
                    (row.event_type, row.created_at)
                    for row in connection.execute(
                        select(Notification.event_type, Notification.created_at)
                        .join(User, User.id == Notification.user_id)
                        .where(User.email == DEMO_ADMIN)
                    )
                ]
            if inbox and "verified" in receiver_log.read_text():
                break
            time.sleep(1)
        logs = f"run:\n{run_log.read_text()}\nreceiver:\n{receiver_log.read_text()}"
        assert inbox, f"no alert in the demo admin's inbox\n{logs}"
        assert [event for event, _ in inbox] == ["kpi.missed"], logs
        alerted_at = inbox[0][1].replace(tzinfo=UTC)
        assert alerted_at >= seeded + CHECK_AFTER - timedelta(seconds=2), (alerted_at, seeded)
        received = receiver_log.read_text()
        assert "kpi.missed" in received and "verified" in received, logs
        assert "NOT VERIFIED" not in received
    finally:
        engine.dispose()
        _stop(run)
        _stop(receiver)
