"""``launchpad run``: web, worker and cron as one command on the embedded defaults.

The worker and cron are started by module name in child processes, since ``launchpad``
never imports ``workflows``. Stopping is all or nothing: Ctrl-C, SIGTERM or the death of
a child stops every process, and the embedded Redis too if this command started it.
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace

from werkzeug.serving import make_server

from launchpad import create_app
from launchpad.broker import embedded_redis_running, ensure_embedded_redis, stop_embedded_redis
from launchpad.config import Settings

CHILD_MODULES = ("workflows.worker", "workflows.cron")
STOP_TIMEOUT_SECONDS = 10.0
log = logging.getLogger(__name__)


def run_all(settings: Settings, host: str = "127.0.0.1", port: int = 5000) -> int:
    """Serve the web app in the foreground with a worker and a cron beside it.

    Returns 0 after a requested stop, 1 when a child process died on its own.
    """
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    owns_redis = settings.redis_url is None and not embedded_redis_running(settings.instance_dir)
    settings = replace(settings, redis_url=settings.redis_url or _embedded_url(settings))
    children: list[subprocess.Popen[bytes]] = []
    stop = threading.Event()
    died = False
    try:
        with _stop_on_signals(stop):
            env = child_environment(settings)
            children = [_spawn(module, env) for module in CHILD_MODULES]
            server = make_server(host, port, create_app(settings), threaded=True)
            threading.Thread(target=server.serve_forever, name="web", daemon=True).start()
            print(f"Launchpad is running at http://{host}:{server.port}/ (Ctrl-C stops it)")
            sys.stdout.flush()
            try:
                died = _wait_for_stop(children, stop)
            finally:
                server.shutdown()
                server.server_close()
    finally:
        _stop_children(children)
        if owns_redis:
            stop_embedded_redis(settings.instance_dir)
    return 1 if died else 0


def child_environment(settings: Settings) -> dict[str, str]:
    """The environment that makes a child build exactly these settings."""
    env = dict(os.environ)
    env.update(
        LAUNCHPAD_INSTANCE_DIR=str(settings.instance_dir),
        LAUNCHPAD_DATABASE_URL=settings.database_url,
        LAUNCHPAD_REDIS_URL=settings.redis_url or "",
        LAUNCHPAD_SECRET_KEY=settings.secret_key,
        LAUNCHPAD_BASE_URL=settings.base_url,
        LAUNCHPAD_TEMPLATES_DIR=str(settings.templates_dir),
        LAUNCHPAD_SMTP_URL=settings.smtp_url or "",
        PYTHONUNBUFFERED="1",
    )
    return env


def _embedded_url(settings: Settings) -> str:
    return ensure_embedded_redis(settings.instance_dir)


def _spawn(module: str, env: dict[str, str]) -> subprocess.Popen[bytes]:
    child = subprocess.Popen([sys.executable, "-m", module], env=env)
    log.info("started %s (pid %d)", module, child.pid)
    return child


def _wait_for_stop(children: list[subprocess.Popen[bytes]], stop: threading.Event) -> bool:
    """Block until asked to stop (False) or until a child exits by itself (True)."""
    while not stop.wait(0.5):
        for child in children:
            if child.poll() is not None:
                log.error("%s exited with code %s; stopping", _name(child), child.returncode)
                return True
    return False


def _stop_children(children: list[subprocess.Popen[bytes]]) -> None:
    for child in children:
        if child.poll() is None:
            child.terminate()
    for child in children:
        try:
            child.wait(timeout=STOP_TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired:
            log.warning("%s did not stop in time; killing it", _name(child))
            child.kill()
            child.wait()


@contextmanager
def _stop_on_signals(stop: threading.Event) -> Iterator[None]:
    """Turn SIGINT and SIGTERM into ``stop.set()`` while running, then restore handlers."""

    def handle(signum: int, _frame: object) -> None:
        log.info("received %s; stopping", signal.Signals(signum).name)
        stop.set()

    previous = {sig: signal.signal(sig, handle) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _name(child: subprocess.Popen[bytes]) -> str:
    return str(child.args[-1]) if isinstance(child.args, list) else str(child.args)
