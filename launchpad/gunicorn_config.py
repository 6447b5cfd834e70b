"""Gunicorn settings for ``launchpad web``, from LAUNCHPAD_WEB_* variables.

gthread workers: most requests wait on PostgreSQL, so a few threads per process keep the
CPUs busy without the memory of more processes. The app is loaded once in the master
(config errors stop the start, not each worker) and opens no connection before the fork.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping, MutableMapping
from pathlib import Path
from typing import Any

from launchpad.config import ConfigError, read_int

MAX_DEFAULT_WORKERS = 8  # each worker holds its own database pool
METRICS_ENV = "PROMETHEUS_MULTIPROC_DIR"


def default_workers(cpus: int | None) -> int:
    """2 x cores + 1, at most MAX_DEFAULT_WORKERS."""
    return min(2 * (cpus or 1) + 1, MAX_DEFAULT_WORKERS)


def web_options(
    env: Mapping[str, str], host: str, port: int, cpus: int | None = None
) -> dict[str, Any]:
    """The gunicorn settings; the hooks below are added by ``launchpad.webserver``."""
    timeout = read_int(env, "WEB_TIMEOUT", 30)
    return {
        "bind": [f"[{host}]:{port}" if ":" in host else f"{host}:{port}"],
        "workers": read_int(env, "WEB_WORKERS", default_workers(cpus or os.cpu_count())),
        "worker_class": "gthread",
        "threads": read_int(env, "WEB_THREADS", 4),
        "timeout": timeout,  # a worker silent this long is killed and replaced
        "graceful_timeout": timeout,  # on SIGTERM, in-flight requests get this long
        "keepalive": 5,
        "preload_app": True,
        "accesslog": "-",
        "errorlog": "-",
        "logger_class": "launchpad.gunicorn_logging.LaunchpadLogger",
        "proc_name": "launchpad-web",
        # ProxyFix (LAUNCHPAD_TRUSTED_PROXIES) alone decides which forwarded headers count.
        "forwarded_allow_ips": "",
        "secure_scheme_headers": {},
        "worker_tmp_dir": "/dev/shm" if os.path.isdir("/dev/shm") else None,
        # gunicorn's control socket would sit in $HOME, shared by every instance there.
        "control_socket_disable": True,
    }


def validate(options: Mapping[str, Any]) -> None:
    """Refuse numbers gunicorn would accept but that make no sense."""
    for key, variable, low in (
        ("workers", "WEB_WORKERS", 1),
        ("threads", "WEB_THREADS", 1),
        ("timeout", "WEB_TIMEOUT", 5),
    ):
        if options[key] < low:
            raise ConfigError(f"LAUNCHPAD_{variable}={options[key]} must be at least {low}")


def prepare_metrics_dir(instance_dir: Path, env: MutableMapping[str, str]) -> Path:
    """PROMETHEUS_MULTIPROC_DIR (default ``<instance>/metrics``), its files removed.

    Values of a previous run would otherwise be added to this one's. Must run before
    prometheus_client is imported: it picks its storage at import time.
    """
    if "prometheus_client.values" in sys.modules and METRICS_ENV not in env:
        raise RuntimeError("prometheus_client was imported before its directory was set")
    directory = Path(env.get(METRICS_ENV) or instance_dir / "metrics")
    directory.mkdir(parents=True, exist_ok=True)
    for stale in directory.glob("*.db"):
        stale.unlink(missing_ok=True)
    env[METRICS_ENV] = str(directory)
    return directory
