"""Load test: wrk against gunicorn on loopback, with workers and cron running, on PostgreSQL.

    .venv/bin/python benchmarks/load/run_load.py --profile ci     # ~30 s, run by CI
    .venv/bin/python benchmarks/load/run_load.py --profile full   # a few minutes, by hand

Two scenarios, each bounded in time and in request count and stopping by itself:

1. ``feeds``: calendar feed polls flat out (80% conditional with If-None-Match), the
   figure behind "1,000 polls/s with p99 under 50 ms".
2. ``mixed``: 100 requests/s in all, one wrk process per kind, each paced: feed polls,
   dashboard and launch pages (signed in), API reads and writes (bearer token) and
   measurement pushes, while the cron ticks and workers evaluate KPI checks.

Prints throughput and p50/p95/p99 per kind and writes them as JSON (``--out``). Exits 1
if a request failed, a process died, or (with ``--enforce``) a target was missed.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from tests.smoke.stack import (  # noqa: E402
    Stack,
    StackError,
    drop_database,
    flush_redis,
    issue_credentials,
    machine_lock,
)

DRIVER = Path(__file__).with_name("driver.lua")
DEFAULT_DB = "postgresql+psycopg://postgres@127.0.0.1:5432/launchpad_load"
DEFAULT_REDIS = "redis://127.0.0.1:6379/12"
PROFILES = {
    # name: (feed seconds, feed connections, mixed seconds)
    "ci": (8, 16, 15),
    "full": (30, 16, 60),
}
MIXED_RATES = {  # requests per second of each kind; 100 in all
    "feed_poll": 30,
    "dashboard": 10,
    "launch_page": 10,
    "api_read": 25,
    "api_write": 10,
    "measurement_push": 15,
}
MIXED_CONNECTIONS = 4  # per kind: enough that slow answers do not hold the schedule back
WARM_UP_PER_KIND = 10
TARGETS = {"feeds_rps": 1000.0, "feeds_p99_ms": 50.0, "mixed_p95_ms": 100.0}
_CSRF = re.compile(r'name="csrf_token"(?: type="hidden")? value="([^"]+)"')


@dataclass
class Workload:
    """What the requests need: a launch, tasks, tokens, feeds and a signed-in cookie."""

    launch_id: int
    task_ids: list[int]
    bearer: str
    cookie: str
    feeds: list[tuple[str, str]] = field(default_factory=list)  # (path, etag)


@dataclass
class Result:
    kind: str
    requests: int
    seconds: float
    errors: int
    p50_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def row(self) -> str:
        return (
            f"{self.kind:<17} {self.requests:>8} {self.rps:>9.1f} {self.p50_ms:>8.1f} "
            f"{self.p95_ms:>8.1f} {self.p99_ms:>8.1f} {self.max_ms:>8.1f} {self.errors:>7}"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profile", choices=sorted(PROFILES), default="ci")
    parser.add_argument("--database-url", default=DEFAULT_DB)
    parser.add_argument("--redis-url", default=DEFAULT_REDIS)
    parser.add_argument("--web-workers", type=int, default=2)
    parser.add_argument("--out", type=Path, help="write the figures here as JSON")
    parser.add_argument("--enforce", action="store_true", help="exit 1 when a target is missed")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument(
        "--scenario", choices=("all", "feeds", "mixed"), default="all", help="run only one"
    )
    parser.add_argument(
        "--nice", type=int, default=0, help="niceness of Launchpad and wrk (root: e.g. -10)"
    )
    options = parser.parse_args()
    if shutil.which("wrk") is None:
        print("wrk is not installed (apt-get install wrk)", file=sys.stderr)
        return 1
    feed_seconds, feed_connections, mixed_seconds = PROFILES[options.profile]
    with (
        machine_lock(options.database_url),
        tempfile.TemporaryDirectory(prefix="lp-load-") as workdir,
    ):
        stack = Stack(
            options.database_url,
            options.redis_url,
            Path(workdir),
            web_workers=options.web_workers,
            extra_env={"LAUNCHPAD_API_RATE_LIMIT": "1000000 per minute"},
            niceness=options.nice,
        )
        try:
            stack.prepare()
            workload = prepare_workload(stack)
            stack.start()
            stack.wait_for("/readyz", 200, timeout=60)
            complete_workload(stack, workload)
            results = []
            if options.scenario in ("all", "feeds"):
                results.append(run_feeds(stack, workload, feed_seconds, feed_connections))
            if options.scenario in ("all", "mixed"):
                results += run_mixed(stack, workload, mixed_seconds)
            server_side(stack)
            stack.check_alive()
            codes = stack.stop()
        except (StackError, OSError, subprocess.SubprocessError) as error:
            stack.stop()
            print(f"LOAD TEST FAILED: {error}", file=sys.stderr)
            return 1
        finally:
            if not options.keep:
                drop_database(options.database_url)
            flush_redis(options.redis_url)
    report(results, options)
    return verdict(results, codes, options.enforce)


def prepare_workload(stack: Stack) -> Workload:
    """A token and three feeds for the demo PM, plus a few launches for the dashboard."""
    made = issue_credentials(stack.database_url, REPO / "templates", extra_launches=3)
    return Workload(made.launch_id, [], made.api_token, "", [(p, "") for p in made.feed_paths])


def complete_workload(stack: Stack, workload: Workload) -> None:
    """What needs the running server: task ids, current ETags, a session cookie."""
    bearer = {"Authorization": f"Bearer {workload.bearer}"}
    tasks = stack.request(f"/api/v1/tasks?launch={workload.launch_id}&per_page=100", headers=bearer)
    if tasks.status != 200:
        raise StackError(f"listing tasks answered {tasks.status}: {tasks.body[:300]!r}")
    workload.task_ids = [int(item["id"]) for item in tasks.json()["items"]]  # type: ignore[index]
    workload.feeds = [(path, stack.request(path).headers["ETag"]) for path, _ in workload.feeds]
    workload.cookie = sign_in(stack)


def sign_in(stack: Stack) -> str:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(stack.base + "/sign-in", timeout=10).read().decode()
    match = _CSRF.search(page)
    if match is None:
        raise StackError("the sign-in page has no CSRF token")
    form = urllib.parse.urlencode(
        {"csrf_token": match.group(1), "email": "pm@demo.launchpad", "password": "launchpad-demo"}
    ).encode()
    opener.open(stack.base + "/sign-in", data=form, timeout=10).read()
    cookies = "; ".join(f"{cookie.name}={cookie.value}" for cookie in jar)
    if "session=" not in cookies:
        raise StackError("signing in gave no session cookie")
    return cookies


def feed_requests(workload: Workload) -> list[dict[str, Any]]:
    """Four conditional polls for each unconditional one (80%), shuffled.

    Each on a fresh connection, as calendar apps poll (hourly, one request each); kept-alive
    connections would also stick to whichever gunicorn worker accepted them first.
    """
    close = {"Connection": "close"}
    requests = []
    for path, etag in workload.feeds:
        conditional = {"method": "GET", "path": path, "headers": {**close, "If-None-Match": etag}}
        requests += [conditional] * 4
        requests.append({"method": "GET", "path": path, "headers": close})
    random.Random(7).shuffle(requests)
    return requests


def kind_requests(kind: str, workload: Workload) -> list[dict[str, Any]]:
    bearer = {"Authorization": f"Bearer {workload.bearer}"}
    launch, tasks = workload.launch_id, workload.task_ids
    json_type = {"Content-Type": "application/json"}
    if kind == "feed_poll":
        return feed_requests(workload)
    if kind == "dashboard":
        return [{"method": "GET", "path": "/", "headers": {"Cookie": workload.cookie}}]
    if kind == "launch_page":
        return [
            {"method": "GET", "path": f"/launches/{launch}", "headers": {"Cookie": workload.cookie}}
        ]
    if kind == "api_read":
        paths = [
            "/api/v1/launches",
            f"/api/v1/launches/{launch}",
            f"/api/v1/tasks?launch={launch}&per_page=50",
            *(f"/api/v1/tasks/{task}" for task in tasks[:20]),
        ]
        return [{"method": "GET", "path": path, "headers": bearer} for path in paths]
    if kind == "api_write":
        return [
            {
                "method": "PATCH",
                "path": f"/api/v1/tasks/{task}",
                "headers": {**bearer, **json_type, "If-Match": "*"},
                "body": json.dumps({"notes": f"load test note {n}"}),
            }
            for n, task in enumerate(tasks[:40])
        ]
    if kind == "measurement_push":
        return [
            {
                "method": "POST",
                "path": f"/api/v1/launches/{launch}/measurements",
                "headers": {**bearer, **json_type},
                "body": json.dumps({"metric": "signups", "value": float(n)}),
            }
            for n in range(50)
        ]
    raise ValueError(kind)


def run_feeds(stack: Stack, workload: Workload, seconds: int, connections: int) -> Result:
    print(f"-- feeds: {seconds}s flat out, {connections} connections", flush=True)
    return wrk(stack, "feeds", feed_requests(workload), seconds, connections, 0, 200_000)


def warm_up(stack: Stack, workload: Workload) -> None:
    """A few requests of each kind, 8 at a time, before the clock runs: the first ones of a
    web process compile its page templates and open its database connections, which a
    15 s run would otherwise count among its slowest 5%."""
    todo = []
    for kind in MIXED_RATES:
        requests = kind_requests(kind, workload)
        todo += [requests[n % len(requests)] for n in range(WARM_UP_PER_KIND)]
    with ThreadPoolExecutor(max_workers=8) as pool:
        replies = list(pool.map(lambda r: _send(stack, r), todo))
    failed = [reply.status for reply in replies if reply.status >= 400]
    if failed:
        raise StackError(f"warm-up answers {sorted(set(failed))}")
    print(f"-- warm-up: {len(todo)} requests", flush=True)


def _send(stack: Stack, request: dict[str, Any]) -> Any:
    body = request.get("body")
    return stack.request(
        request["path"],
        method=request["method"],
        headers=request["headers"],
        body=body.encode() if body else None,
    )


def run_mixed(stack: Stack, workload: Workload, seconds: int) -> list[Result]:
    """One paced wrk process per kind, all at once; each stops by itself."""
    warm_up(stack, workload)
    print(f"-- mixed: {sum(MIXED_RATES.values())} requests/s for {seconds}s", flush=True)
    running = []
    for kind, rate in MIXED_RATES.items():
        cap = int(rate * seconds * 1.2) + 1
        unique = "Idempotency-Key" if kind == "measurement_push" else None
        spec = write_spec(stack, kind, kind_requests(kind, workload), rate, cap, unique)
        running.append((kind, start_wrk(stack, spec, seconds, MIXED_CONNECTIONS)))
    return [finish_wrk(kind, process) for kind, process in running]


def wrk(
    stack: Stack,
    kind: str,
    requests: list[dict[str, Any]],
    seconds: int,
    connections: int,
    rate: int,
    cap: int,
) -> Result:
    spec = write_spec(stack, kind, requests, rate, cap, None)
    return finish_wrk(kind, start_wrk(stack, spec, seconds, connections))


def write_spec(
    stack: Stack,
    kind: str,
    requests: list[dict[str, Any]],
    rate: int,
    cap: int,
    unique_header: str | None,
) -> Path:
    """The Lua table driver.lua reads (JSON strings are valid Lua strings here)."""

    def lua(value: Any) -> str:
        if isinstance(value, dict):
            return "{" + ", ".join(f"[{json.dumps(k)}] = {lua(v)}" for k, v in value.items()) + "}"
        if isinstance(value, list):
            return "{" + ", ".join(lua(v) for v in value) + "}"
        return "nil" if value is None else json.dumps(value)

    spec = {
        "requests": requests,
        "rate": rate,
        "max_requests": cap,
        "unique_header": unique_header,
    }
    path = stack.workdir / f"{kind}.lua"
    path.write_text("return " + lua(spec) + "\n")
    return path


def start_wrk(stack: Stack, spec: Path, seconds: int, connections: int) -> subprocess.Popen[str]:
    command = [
        "wrk",
        "-t1",
        f"-c{connections}",
        f"-d{seconds}s",
        "--timeout",
        "5s",
        "-s",
        str(DRIVER),
        stack.base,
    ]
    env = {"LP_SPEC": str(spec), "PATH": "/usr/bin:/bin"}
    niceness = stack.niceness
    return subprocess.Popen(
        command,
        preexec_fn=(lambda: os.nice(niceness) and None) if niceness else None,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def finish_wrk(kind: str, process: subprocess.Popen[str]) -> Result:
    out, err = process.communicate(timeout=600)
    line = next((x for x in out.splitlines() if x.startswith("LPRESULT ")), None)
    if process.returncode != 0 or line is None:
        raise StackError(f"wrk for {kind} failed ({process.returncode}):\n{out}\n{err}")
    data = json.loads(line.removeprefix("LPRESULT "))
    errors = sum(
        data[k]
        for k in ("status_errors", "connect_errors", "read_errors", "write_errors", "timeouts")
    )
    return Result(
        kind,
        data["requests"],
        data["duration_us"] / 1e6,
        errors,
        data["p50_us"] / 1000,
        data["p95_us"] / 1000,
        data["p99_us"] / 1000,
        data["max_us"] / 1000,
    )


def server_side(stack: Stack) -> None:
    """Time inside the app per endpoint (from /metrics): the rest of a client's wait is
    queueing for a worker thread or a CPU."""
    buckets: dict[str, dict[float, float]] = {}
    sums: dict[str, float] = {}
    pattern = re.compile(
        r"^launchpad_http_request_duration_seconds_(bucket|sum)\{([^}]*)\} (\S+)$", re.M
    )
    for kind, labels, value in pattern.findall(stack.request("/metrics").body.decode()):
        endpoint = re.search(r'endpoint="([^"]*)"', labels)
        name = endpoint.group(1) if endpoint else "?"
        if kind == "sum":
            sums[name] = sums.get(name, 0.0) + float(value)
            continue
        le = re.search(r'le="([^"]*)"', labels)
        bound = float("inf") if le is None or le.group(1) == "+Inf" else float(le.group(1))
        per = buckets.setdefault(name, {})
        per[bound] = per.get(bound, 0.0) + float(value)
    print(f"\n{'endpoint (server side)':<40} {'count':>7} {'mean ms':>8} {'p95 <= ms':>9}")
    for name, per in sorted(buckets.items(), key=lambda item: -max(item[1].values())):
        count = per[float("inf")]
        p95 = next(bound for bound in sorted(per) if per[bound] >= 0.95 * count)
        mean = sums.get(name, 0.0) / count * 1000 if count else 0.0
        print(f"{name:<40} {count:>7.0f} {mean:>8.1f} {p95 * 1000:>9.0f}")


def report(results: list[Result], options: argparse.Namespace) -> None:
    print(
        f"\n{'kind':<17} {'requests':>8} {'req/s':>9} {'p50 ms':>8} {'p95 ms':>8} "
        f"{'p99 ms':>8} {'max ms':>8} {'errors':>7}"
    )
    for result in results:
        print(result.row())
    mixed = [r for r in results if r.kind != "feeds"]
    if mixed:
        total = sum(r.requests for r in mixed)
        seconds = max(r.seconds for r in mixed)
        print(f"{'mixed (all)':<17} {total:>8} {total / seconds:>9.1f}")
    if options.out:
        options.out.parent.mkdir(parents=True, exist_ok=True)
        figures = [{**r.__dict__, "rps": round(r.rps, 1)} for r in results]
        options.out.write_text(
            json.dumps({"profile": options.profile, "results": figures}, indent=2)
        )


def verdict(results: list[Result], codes: dict[str, int], enforce: bool) -> int:
    problems = [f"{r.kind}: {r.errors} failed requests" for r in results if r.errors]
    problems += [f"{name} exited with {code}" for name, code in codes.items() if code != 0]
    misses = []
    for feeds in (r for r in results if r.kind == "feeds"):
        if feeds.rps < TARGETS["feeds_rps"]:
            misses.append(f"feed polls {feeds.rps:.0f}/s < {TARGETS['feeds_rps']:.0f}/s")
        if feeds.p99_ms > TARGETS["feeds_p99_ms"]:
            misses.append(f"feed p99 {feeds.p99_ms:.1f} ms > {TARGETS['feeds_p99_ms']:.0f} ms")
    for r in results:
        if r.kind != "feeds" and r.p95_ms > TARGETS["mixed_p95_ms"]:
            misses.append(f"{r.kind} p95 {r.p95_ms:.1f} ms > {TARGETS['mixed_p95_ms']:.0f} ms")
    for miss in misses:
        print(f"target missed: {miss}")
    for problem in problems:
        print(f"FAILED: {problem}", file=sys.stderr)
    return 1 if problems or (enforce and misses) else 0


if __name__ == "__main__":
    raise SystemExit(main())
