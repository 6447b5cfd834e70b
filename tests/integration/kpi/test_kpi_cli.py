"""`launchpad measurements`, `launchpad jobs status` and `launchpad dev-receiver`."""

from __future__ import annotations

import json
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from launchpad.cli import cli
from launchpad.config import Settings
from launchpad.models import Measurement
from launchpad.outbound.signing import new_secret, signed_headers
from launchpad.supervisor import child_environment

Invoke = Callable[..., Result]
LAUNCHPAD = "import sys; from launchpad.cli import cli; cli(sys.argv[1:], prog_name='launchpad')"


@pytest.fixture
def invoke(settings: Settings, session: Session, monkeypatch: pytest.MonkeyPatch) -> Invoke:
    for name, value in child_environment(settings).items():
        if name.startswith("LAUNCHPAD_"):
            monkeypatch.setenv(name, value)
    runner = CliRunner()
    return lambda *args: runner.invoke(cli, list(args), catch_exceptions=False)


def stored(session: Session) -> int:
    session.commit()
    return int(session.scalar(select(func.count()).select_from(Measurement)) or 0)


def test_push_twice_and_out_of_order_stores_each_fact_once(invoke, launch, session):
    base = ["measurements", "push", "--launch", str(launch.id), "--metric", "signups"]
    first = invoke(*base, "--value", "120", "--at", "2026-03-09T08:00:00Z", "--json")
    assert first.exit_code == 0, first.output
    assert json.loads(first.output)["created"] is True
    again = invoke(*base, "--value", "120", "--at", "2026-03-09T08:00:00Z")
    assert "already recorded" in again.output
    earlier = invoke(*base, "--value", "80", "--at", "2026-03-08T08:00:00+00:00")
    assert earlier.exit_code == 0 and stored(session) == 2


def test_push_refuses_bad_input_with_exit_code_2(invoke, launch):
    result = invoke(
        "measurements", "push", "--launch", str(launch.id), "--metric", "Sign ups", "--value", "1"
    )
    assert result.exit_code == 2 and "metric" in result.output


def test_import_a_csv_file(invoke, launch, session, tmp_path: Path):
    path = tmp_path / "values.csv"
    path.write_text("metric,value,observed_at\nsignups,5,2026-03-01T00:00:00Z\n")
    result = invoke("measurements", "import", "--launch", str(launch.id), str(path))
    assert "1 recorded" in result.output and stored(session) == 1


def test_jobs_status_json_has_the_promised_keys(invoke, redis_conn):
    result = invoke("jobs", "status", "--json")
    assert result.exit_code == 0, result.output
    figures = json.loads(result.output)
    assert {"queues", "evaluated", "lag_seconds", "failed_deliveries"} <= set(figures)
    assert set(figures["queues"]) == {"kpi", "notify", "maintenance"}
    assert "lag" in invoke("jobs", "status").output


def test_dev_receiver_prints_verified_deliveries(settings: Settings, tmp_path: Path):
    secret = new_secret()
    process = subprocess.Popen(
        [sys.executable, "-c", LAUNCHPAD, "dev-receiver", "--port", "0", "--secret", secret],
        env=child_environment(settings),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stderr is not None and process.stdout is not None
        banner = process.stderr.readline()
        port = int(banner.split("http://127.0.0.1:")[1].split("/")[0])
        body = b'{"type":"kpi.missed","data":{}}'
        good = signed_headers(secret, "msg-1", int(time.time()), body)
        assert post(port, body, good) == 204
        assert post(port, body, {**good, "webhook-id": "msg-2"}) == 401
        assert "webhook-id=msg-1  verified" in process.stdout.readline()
    finally:
        process.terminate()
        process.communicate(timeout=10)  # reaps it and closes both pipes


def post(port: int, body: bytes, headers: dict[str, str]) -> int:
    request = urllib.request.Request(f"http://127.0.0.1:{port}/hooks", body, headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return error.code
