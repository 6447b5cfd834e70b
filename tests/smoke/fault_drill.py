"""Fault drill: PostgreSQL and then Redis restarted under load, against real processes.

    .venv/bin/python tests/smoke/fault_drill.py

gunicorn, a worker and the cron run on a PostgreSQL cluster and a redis-server of the
drill's own (the machine's shared servers are never touched), while four clients poll
the API, the dashboard and a calendar feed. PostgreSQL is stopped for a few seconds, then
Redis. The drill fails unless:

- every answer is 200/304, or 503 while PostgreSQL is away (never a 500 or a traceback),
  and the answers are all good again within seconds, with no process restarted;
- with Redis away the UI, the API and the feed keep answering 200/304;
- after Redis returns the cron's heartbeat job runs again (``/readyz`` back to 200).
"""

from __future__ import annotations

import http.client
import json
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from benchmarks.load.run_load import sign_in  # noqa: E402
from tests.integration.ops.servers import PrivateCluster, PrivateRedis  # noqa: E402
from tests.smoke.stack import Stack, StackError, issue_credentials  # noqa: E402

CLIENTS = 4
GOOD = {200, 304}


@dataclass
class Log:
    """Every answer as (seconds since start, phase, status)."""

    started: float = field(default_factory=time.monotonic)
    phase: str = "warm-up"
    answers: list[tuple[float, str, int]] = field(default_factory=list)
    bad_bodies: list[str] = field(default_factory=list)
    odd: list[str] = field(default_factory=list)  # the first unexpected answers, for the report
    restarts: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, path: str, status: int, body: bytes) -> None:
        with self.lock:
            self.answers.append((time.monotonic() - self.started, self.phase, status))
            if status not in GOOD and not self.phase.startswith("postgres") and len(self.odd) < 5:
                self.odd.append(f"{self.phase}: {path.split('/')[1]} {status} {body[:200]!r}")
            if b"Traceback" in body:
                self.bad_bodies.append(body[:300].decode(errors="replace"))

    def statuses(self, phase: str) -> Counter[int]:
        return Counter(status for _, p, status in self.answers if p == phase)


def client_loop(
    port: int, targets: list[tuple[str, dict[str, str]]], log: Log, stop: threading.Event
) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    n = 0
    while not stop.is_set():
        path, headers = targets[n % len(targets)]
        n += 1
        try:
            connection.request("GET", path, headers=headers)
            answer = connection.getresponse()
            log.add(path, answer.status, answer.read())
        except (OSError, http.client.HTTPException):
            log.add(path, 0, b"")  # a dropped connection counts as a failure
            connection.close()
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        time.sleep(0.02)
    connection.close()


def main() -> int:
    cluster, redis_server = PrivateCluster(), PrivateRedis()
    with tempfile.TemporaryDirectory(prefix="lp-drill-") as workdir:
        stack = Stack(
            cluster.url_for("launchpad_drill"),
            redis_server.url,
            Path(workdir),
            workers=1,
            watch_all=False,
            # The drill's clients run flat out: the per-token API budget (600 a minute by
            # default) would answer 429 once a minute's answers pass it, which is right,
            # but not what this drill is about.
            extra_env={"LAUNCHPAD_API_RATE_LIMIT": "1000000 per minute"},
        )
        stop = threading.Event()
        log: Log | None = None
        try:
            log = drill(stack, cluster, redis_server, stop)
            verdicts = judge(log)
        except (StackError, AssertionError, OSError) as error:
            verdicts = [f"drill aborted: {error}"]
        finally:
            stop.set()
            codes = stack.stop()
            redis_server.stop()
            cluster.close()
        verdicts += [f"{name} exited with {code}" for name, code in codes.items() if code != 0]
        summarise(log)
        for verdict in verdicts:
            print(f"DRILL FAILED: {verdict}", file=sys.stderr)
        if verdicts:
            errors = [line for line in stack.log("web").splitlines() if '"error"' in line]
            print("----- web errors (first 5)\n" + "\n".join(errors[:5]), file=sys.stderr)
            for name in ("web", "worker-1", "cron"):
                print(f"----- {name}.log (last 40 lines)", file=sys.stderr)
                print("\n".join(stack.log(name).splitlines()[-40:]), file=sys.stderr)
            return 1
    print("fault drill passed")
    return 0


def summarise(log: Log | None) -> None:
    if log is None:
        return
    for phase in ("warm-up", "postgres down", "postgres back", "redis down", "redis back"):
        print(f"{phase:<14} {dict(sorted(log.statuses(phase).items()))}")
    print("restarted by the drill's supervisor:", ", ".join(log.restarts) or "nothing")
    for line in log.odd:
        print(f"unexpected: {line}")


def drill(
    stack: Stack, cluster: PrivateCluster, redis_server: PrivateRedis, stop: threading.Event
) -> Log:
    stack.prepare()
    made = issue_credentials(stack.database_url, REPO / "templates")
    stack.start()
    stack.wait_for("/readyz", 200, timeout=90)
    targets = [
        ("/api/v1/launches", {"Authorization": f"Bearer {made.api_token}"}),
        ("/", {"Cookie": sign_in(stack)}),
        (made.feed_paths[0], {}),
    ]
    log = Log()
    supervisor = threading.Thread(target=supervise, args=(stack, log, stop))
    supervisor.start()
    threads = [
        threading.Thread(target=client_loop, args=(stack.port, targets, log, stop))
        for _ in range(CLIENTS)
    ]
    for thread in threads:
        thread.start()
    try:
        step(log, "warm-up", 3)
        step(log, "postgres down", 0)  # labelled first: requests fail while it stops
        cluster.stop()
        time.sleep(4)
        cluster.start()
        step(log, "postgres back", 4)
        step(log, "redis down", 0)
        redis_server.stop()
        time.sleep(4)
        redis_server.start()
        step(log, "redis back", 0)
        stack.wait_for("/readyz", 200, timeout=90)  # the heartbeat ran again
        time.sleep(1)
    finally:
        stop.set()
        for thread in [*threads, supervisor]:
            thread.join(timeout=15)
    stack.check_alive()
    return log


def supervise(stack: Stack, log: Log, stop: threading.Event) -> None:
    """Restart a worker or cron that exited, as compose's restart policy would."""
    while not stop.wait(0.5):
        for name in stack.restart_exited():
            log.restarts.append(f"{name} during '{log.phase}'")


def step(log: Log, phase: str, seconds: float) -> None:
    log.phase = phase
    print(f"-- {phase}", flush=True)
    time.sleep(seconds)


def judge(log: Log) -> list[str]:
    problems = []
    for phase in ("warm-up", "redis down", "redis back"):
        bad = {s: n for s, n in log.statuses(phase).items() if s not in GOOD}
        if bad:
            problems.append(f"{phase}: answers other than 200/304: {bad}")
    down = log.statuses("postgres down")
    if set(down) - GOOD - {503}:
        problems.append(f"postgres down: answers other than 200/304/503: {dict(down)}")
    if not down[503]:
        problems.append("postgres down: no 503 at all (was the database really stopped?)")
    back = [s for t, p, s in log.answers if p == "postgres back"]
    tail = back[len(back) // 2 :]
    if not tail or set(tail) - GOOD:
        problems.append(f"postgres back: still failing after the restart: {Counter(tail)}")
    if any(restart.startswith("web") for restart in log.restarts):
        problems.append("the web process had to be restarted")
    if log.bad_bodies:
        problems.append(f"a traceback reached a client: {json.dumps(log.bad_bodies[:1])}")
    return problems


if __name__ == "__main__":
    raise SystemExit(main())
