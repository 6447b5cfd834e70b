"""Container health checks for the one image that runs web, worker or cron.

Docker runs the probe inside the container, so "this host" is the container: the web
probe asks the local /healthz, the worker and cron probes look for an RQ worker or cron
scheduler registered in Redis under this host name (they register, and heartbeat, from
their own loop, so a hung process drops out of the registry).
"""

from __future__ import annotations

import argparse
import socket
import sys
import urllib.error
import urllib.request

import redis
from rq import Worker
from rq.cron import CronScheduler

from launchpad.config import Settings
from launchpad.observability.redis_probe import probe_client

PROCESSES = ("web", "worker", "cron")


def probe(process: str, settings: Settings, port: int) -> str | None:
    """None when healthy, else what is wrong (one line)."""
    if process == "web":
        return _web(port)
    try:
        client = probe_client(settings)
        hosts = _registered_hosts(process, client)
    except (redis.RedisError, OSError) as error:
        return f"Redis unreachable ({type(error).__name__})"
    if socket.gethostname() not in hosts:
        return f"no {process} registered in Redis from host {socket.gethostname()}"
    return None


def _registered_hosts(process: str, client: redis.Redis) -> set[str]:
    if process == "worker":
        return {str(worker.hostname) for worker in Worker.all(connection=client)}
    return {scheduler.hostname for scheduler in CronScheduler.all(client)}


def _web(port: int) -> str | None:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=3) as reply:
            return None if reply.status == 200 else f"/healthz answered {reply.status}"
    except (urllib.error.URLError, OSError) as error:
        return f"/healthz unreachable ({error})"


def main(argv: list[str] | None = None) -> int:
    """``python -m launchpad.container_probes worker``: lighter than the full CLI."""
    parser = argparse.ArgumentParser(prog="python -m launchpad.container_probes")
    parser.add_argument("process", choices=PROCESSES)
    parser.add_argument("--port", type=int, default=8000, help="web only")
    options = parser.parse_args(argv)
    problem = probe(options.process, Settings.from_env(), options.port)
    print(problem or f"{options.process} healthy", file=sys.stderr if problem else sys.stdout)
    return 1 if problem else 0


if __name__ == "__main__":
    raise SystemExit(main())
