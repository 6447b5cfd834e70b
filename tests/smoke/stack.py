"""Launchpad's production process layout without Docker, for the smoke and load tests.

A scratch PostgreSQL database, one Redis database index, gunicorn (``launchpad web``),
N ``launchpad worker`` processes and one ``launchpad cron``, each in its own process
group with its log in a work directory. Everything started here is stopped here, by
process id, and a process that does not stop in time is killed.
"""

from __future__ import annotations

import fcntl
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import redis
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

LAUNCHPAD = str(Path(sys.executable).with_name("launchpad"))
STOP_SECONDS = 30.0


class StackError(RuntimeError):
    """Something in the layout did not start, answer or stop as it should."""


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> object:
        return json.loads(self.body)


@dataclass
class Stack:
    """The processes of one deployment on this machine."""

    database_url: str  # the scratch database; dropped and created by prepare()
    redis_url: str  # its database index is flushed (FLUSHDB) before and after
    workdir: Path
    web_workers: int = 2
    workers: int = 2
    with_cron: bool = True
    watch_all: bool = True  # False: only the web process must stay up (a drill restarts others)
    niceness: int = 0  # e.g. -10 to measure with less noise from other work on the machine
    extra_env: Mapping[str, str] = field(default_factory=dict)
    port: int = 0
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    commands: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.port = self.port or free_port()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("LAUNCHPAD_")}
        env.update(
            LAUNCHPAD_DATABASE_URL=self.database_url,
            LAUNCHPAD_REDIS_URL=self.redis_url,
            LAUNCHPAD_INSTANCE_DIR=str(self.workdir / "instance"),
            LAUNCHPAD_SECRET_KEY="smoke-test-secret-key-0123456789",
            LAUNCHPAD_BASE_URL=self.base,
            LAUNCHPAD_WEB_WORKERS=str(self.web_workers),
            PYTHONUNBUFFERED="1",
        )
        env.pop("PROMETHEUS_MULTIPROC_DIR", None)
        env.update(self.extra_env)
        return env

    def prepare(self) -> None:
        """A fresh, migrated database with the demo, and an empty Redis index."""
        recreate_database(self.database_url)
        flush_redis(self.redis_url)
        self.cli("db", "upgrade")
        self.cli("seed-demo")

    def cli(self, *args: str) -> str:
        """Run a ``launchpad`` command against this deployment; its stdout."""
        done = subprocess.run(
            [LAUNCHPAD, *args], env=self.env(), capture_output=True, text=True, timeout=120
        )
        if done.returncode != 0:
            raise StackError(f"launchpad {' '.join(args)} failed:\n{done.stdout}{done.stderr}")
        return done.stdout

    def start(self) -> None:
        self._spawn("web", "web", "--host", "127.0.0.1", "--port", str(self.port))
        for n in range(1, self.workers + 1):
            self._spawn(f"worker-{n}", "worker")
        if self.with_cron:
            self._spawn("cron", "cron")
        self.wait_for("/healthz", 200, timeout=30)

    def restart_exited(self) -> list[str]:
        """Start again whatever exited (what compose's ``restart: unless-stopped`` does)."""
        exited = [name for name, process in self.processes.items() if process.poll() is not None]
        for name in exited:
            self._spawn(name, *self.commands[name])
        return exited

    def _spawn(self, name: str, *args: str) -> None:
        self.commands[name] = args
        log = (self.workdir / f"{name}.log").open("ab")
        niceness = self.niceness
        self.processes[name] = subprocess.Popen(
            [LAUNCHPAD, *args],
            env=self.env(),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=(lambda: os.nice(niceness) and None) if niceness else None,
        )

    def request(
        self,
        path: str,
        *,
        method: str = "GET",
        headers: Mapping[str, str] | None = None,
        body: bytes | None = None,
    ) -> Reply:
        self.check_alive()
        call = urllib.request.Request(
            self.base + path, data=body, method=method, headers=dict(headers or {})
        )
        try:
            with urllib.request.urlopen(call, timeout=10) as answer:
                return Reply(answer.status, dict(answer.headers), answer.read())
        except urllib.error.HTTPError as error:
            return Reply(error.code, dict(error.headers), error.read())

    def wait_for(self, path: str, status: int, timeout: float) -> Reply:
        """Poll ``path`` until it answers ``status``; fail with the last answer."""
        deadline = time.monotonic() + timeout
        last: Reply | str = "no answer"
        while time.monotonic() < deadline:
            try:
                last = self.request(path)
                if last.status == status:
                    return last
            except (urllib.error.URLError, ConnectionError, TimeoutError) as error:
                last = str(error)
            time.sleep(0.5)
        detail = last if isinstance(last, str) else f"{last.status} {last.body[:500]!r}"
        raise StackError(f"{path} did not answer {status} within {timeout}s: {detail}")

    def check_alive(self) -> None:
        for name, process in self.processes.items():
            if (self.watch_all or name == "web") and process.poll() is not None:
                raise StackError(f"{name} exited with {process.returncode}:\n{self.log(name)}")

    def log(self, name: str) -> str:
        path = self.workdir / f"{name}.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def stop(self) -> dict[str, int]:
        """SIGTERM everyone, wait, kill stragglers; the exit code of each process."""
        for process in self.processes.values():
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        codes = {}
        deadline = time.monotonic() + STOP_SECONDS
        for name, process in self.processes.items():
            try:
                codes[name] = process.wait(timeout=max(deadline - time.monotonic(), 0.1))
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                codes[name] = process.wait()
        self.processes.clear()
        return codes


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def recreate_database(url: str) -> None:
    """DROP and CREATE the database of ``url`` through the server's ``postgres`` database."""
    target = make_url(url)
    admin = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            name = target.database
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        admin.dispose()


def drop_database(url: str) -> None:
    target = make_url(url)
    admin = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{target.database}" WITH (FORCE)'))
    finally:
        admin.dispose()


def flush_redis(url: str) -> None:
    client = redis.Redis.from_url(url)
    try:
        client.flushdb()
    finally:
        client.close()


@dataclass
class Credentials:
    """An API token and calendar feed paths for the demo PM, made in one session."""

    launch_id: int
    api_token: str
    feed_paths: list[str]


def issue_credentials(
    database_url: str, templates_dir: Path, extra_launches: int = 0
) -> Credentials:
    """Token and feeds (person, team, launch) for pm@demo.launchpad; optional more launches.

    Done in-process with the services the CLI uses, since each ``launchpad`` start costs
    seconds of imports.
    """
    from datetime import UTC, date, datetime, timedelta

    from sqlalchemy import select

    from launchpad.db import make_engine, make_session_factory, session_scope
    from launchpad.models import Launch
    from launchpad.services.api_tokens import create_token
    from launchpad.services.feed_scopes import parse_scope
    from launchpad.services.feed_tokens import create_feed_token
    from launchpad.services.launch_planning import NewLaunch, create_launch
    from launchpad.services.people import user_by_email

    now = datetime.now(UTC)
    engine = make_engine(database_url)
    try:
        with session_scope(make_session_factory(engine)) as session:
            pm = user_by_email(session, "pm@demo.launchpad")
            for n in range(extra_launches):
                day = date.today() + timedelta(days=60 + 7 * n)
                new = NewLaunch("feature-release", f"Load {n}", day, assignments={"pm": pm.email})
                create_launch(session, templates_dir, new, actor=pm, now=now)
            launch_id = session.scalars(select(Launch.id).order_by(Launch.id)).first()
            assert launch_id is not None, "seed the demo first"
            token = create_token(
                session, pm, label="load", read_only=False, expires_days=None, now=now
            )
            paths = []
            for scope in ("person", "team:marketing", f"launch:{launch_id}"):
                parsed = parse_scope(session, scope, pm, None)
                issued = create_feed_token(session, pm, parsed, label="load", now=now)
                paths.append(f"/cal/{issued.secret}/feed.ics")
    finally:
        engine.dispose()
    return Credentials(launch_id, token.secret, paths)


@contextmanager
def machine_lock(database_url: str, timeout: float = 900.0) -> Iterator[None]:
    """One run at a time per scratch database on this machine.

    Two runs of the same script (a CI rehearsal and a developer, say) would drop each
    other's database and flush each other's Redis index; the second one waits instead.
    """
    name = make_url(database_url).database or "default"
    path = Path(tempfile.gettempdir()) / f"launchpad-stack-{name}.lock"
    deadline = time.monotonic() + timeout
    with path.open("a") as handle:
        while True:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise StackError(f"another run holds {path} for too long") from None
                time.sleep(1)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
