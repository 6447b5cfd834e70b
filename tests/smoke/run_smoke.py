"""Production smoke test without Docker: gunicorn, two workers and a cron over HTTP.

    .venv/bin/python tests/smoke/run_smoke.py [--database-url URL] [--redis-url URL]

Creates the scratch database ``launchpad_smoke`` on this machine's PostgreSQL, uses
Redis database 9, migrates, seeds the demo, starts the processes and checks what an
operator and an API client would: /healthz, /readyz (once the cron heartbeat is there),
/metrics, the API with a fresh token, a calendar feed, request ids, and logs that hold
neither tokens nor tracebacks. Exits 1 with the reason (and the logs) on any failure,
and gives up after ``--timeout`` seconds.
"""

from __future__ import annotations

import argparse
import json
import re
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import FrameType

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.smoke.stack import Stack, StackError, drop_database, flush_redis, machine_lock

DEFAULT_DB = "postgresql+psycopg://postgres@127.0.0.1:5432/launchpad_smoke"
DEFAULT_REDIS = "redis://127.0.0.1:6379/9"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=DEFAULT_DB)
    parser.add_argument("--redis-url", default=DEFAULT_REDIS)
    parser.add_argument("--timeout", type=int, default=240)
    options = parser.parse_args()
    signal.signal(signal.SIGALRM, _too_slow)
    signal.alarm(options.timeout)
    started = time.monotonic()
    with (
        machine_lock(options.database_url),
        tempfile.TemporaryDirectory(prefix="lp-smoke-") as workdir,
    ):
        stack = Stack(options.database_url, options.redis_url, Path(workdir))
        try:
            secrets = run_checks(stack)
            codes = stack.stop()
            check_stopped(codes)
            check_logs(stack, secrets)
        except (StackError, AssertionError, TimeoutError) as error:
            stack.stop()
            _dump_logs(stack)
            print(f"SMOKE FAILED: {error}", file=sys.stderr)
            return 1
        finally:
            drop_database(options.database_url)
            flush_redis(options.redis_url)
    print(f"smoke test passed in {time.monotonic() - started:.1f}s")
    return 0


def run_checks(stack: Stack) -> list[str]:
    """Every HTTP check; returns the secrets that must never show up in a log."""
    stack.prepare()
    token = json.loads(stack.cli("tokens", "create", "--email", "pm@demo.launchpad", "--json"))
    feed = json.loads(
        stack.cli("feeds", "create", "--email", "pm@demo.launchpad", "--scope", "person", "--json")
    )
    stack.start()
    step("healthz")
    reply = stack.request("/healthz", headers={"X-Request-ID": "smoke-test-1"})
    expect(reply.status == 200, f"/healthz answered {reply.status}")
    expect(reply.headers.get("X-Request-ID") == "smoke-test-1", "request id not echoed")
    step("readyz (waits for the cron heartbeat)")
    report = stack.wait_for("/readyz", 200, timeout=90).json()
    expect(isinstance(report, dict) and report.get("failing") == [], f"readyz: {report}")
    step("API with a fresh token")
    bearer = {"Authorization": f"Bearer {token['token']}"}
    reply = stack.request("/api/v1/launches", headers=bearer)
    expect(reply.status == 200, f"GET /api/v1/launches answered {reply.status}: {reply.body!r}")
    launches = reply.json()
    expect(isinstance(launches, dict) and len(launches["items"]) >= 1, "no demo launch")
    step("calendar feed, then a conditional fetch")
    path = "/cal/" + feed["url"].split("/cal/", 1)[1]
    reply = stack.request(path)
    expect(reply.status == 200 and reply.body.startswith(b"BEGIN:VCALENDAR"), "feed broken")
    again = stack.request(path, headers={"If-None-Match": reply.headers["ETag"]})
    expect(again.status == 304, f"conditional feed fetch answered {again.status}")
    step("metrics")
    check_metrics(stack)
    step("container probes (as compose runs them, and the CLI command)")
    for process in ("worker", "cron"):
        probe = [sys.executable, "-m", "launchpad.container_probes", process]
        done = subprocess.run(probe, env=stack.env(), capture_output=True, text=True, timeout=60)
        expect(done.returncode == 0, f"probe {process}: {done.stdout}{done.stderr}")
    expect("web healthy" in stack.cli("probe", "web", "--port", str(stack.port)), "probe web")
    return [token["token"], path.split("/")[2]]


def check_metrics(stack: Stack) -> None:
    deadline = time.monotonic() + 60  # a loaded machine starts the second worker later
    while True:
        reply = stack.request("/metrics")
        expect(reply.status == 200, f"/metrics answered {reply.status}")
        text = reply.body.decode()
        if "launchpad_workers 2.0" in text or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    timed = re.search(r'launchpad_http_request_duration_seconds_count\{[^}]*"health\.readyz"', text)
    expect(timed is not None, f"/metrics has no latency of /readyz:\n{text[:3000]}")
    for needle in (
        'launchpad_queue_depth{queue="kpi"}',
        'launchpad_source_up{source="database"} 1.0',
        'launchpad_source_up{source="redis"} 1.0',
        "launchpad_workers 2.0",
        "launchpad_cron_schedulers 1.0",
        "launchpad_kpi_check_lag_seconds",
        'launchpad_deliveries_total{outcome="delivered"}',
    ):
        expect(needle in text, f"/metrics lacks {needle}")
    forwarded = stack.request("/metrics", headers={"X-Forwarded-For": "203.0.113.9"})
    expect(forwarded.status == 403, "/metrics served to a forwarded (proxied) request")


def check_stopped(codes: dict[str, int]) -> None:
    step("graceful stop")
    bad = {name: code for name, code in codes.items() if code != 0}
    expect(not bad, f"processes did not stop cleanly: {bad}")


def check_logs(stack: Stack, secrets: list[str]) -> None:
    step("logs: JSON, request ids, no secrets, no tracebacks")
    web = stack.log("web")
    lines = [json.loads(line) for line in web.splitlines() if line.startswith("{")]
    access = [line for line in lines if line.get("logger") == "gunicorn.access"]
    expect(len(access) >= 5, "too few access log lines")
    expect(any(line["request_id"] == "smoke-test-1" for line in access), "request id not logged")
    for name in stack_logs(stack):
        text = stack.log(name)
        for secret in secrets:
            expect(secret not in text, f"a token reached the {name} log")
        expect("Traceback" not in text, f"a traceback in the {name} log")


def stack_logs(stack: Stack) -> list[str]:
    return sorted(path.stem for path in stack.workdir.glob("*.log"))


def step(name: str) -> None:
    print(f"-- {name}", flush=True)


def expect(condition: bool, message: str) -> None:
    if not condition:
        raise AssertionError(message)


def _too_slow(_signum: int, _frame: FrameType | None) -> None:
    raise TimeoutError("the smoke test ran out of time")


def _dump_logs(stack: Stack) -> None:
    for name in stack_logs(stack):
        print(f"----- {name}.log (last 40 lines)", file=sys.stderr)
        print("\n".join(stack.log(name).splitlines()[-40:]), file=sys.stderr)


if __name__ == "__main__":
    raise SystemExit(main())
