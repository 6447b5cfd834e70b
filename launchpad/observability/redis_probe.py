"""A Redis client for probes and scrapes: short timeouts, no retries, never starts a server.

Readiness and metrics must answer quickly when Redis is away, and must not start the
embedded server as a side effect (``broker.redis_connection`` would). The cron heartbeat
key is written by ``workflows.maintenance.heartbeat`` (a test keeps the names equal).
"""

from __future__ import annotations

from datetime import datetime

import redis
from flask import Flask
from redis.backoff import NoBackoff
from redis.retry import Retry

from launchpad.broker import socket_path
from launchpad.config import Settings

HEARTBEAT_KEY = "launchpad:cron:heartbeat"
TIMEOUT_SECONDS = 2.0
_EXTENSION_KEY = "launchpad.probe_redis"


def probe_client(settings: Settings) -> redis.Redis:
    """A client on the configured Redis, or on the embedded server's socket."""
    url = settings.redis_url or f"unix://{socket_path(settings.instance_dir)}"
    return redis.Redis.from_url(
        url,
        socket_timeout=TIMEOUT_SECONDS,
        socket_connect_timeout=TIMEOUT_SECONDS,
        retry=Retry(NoBackoff(), 0),
    )


def app_probe_client(app: Flask, settings: Settings) -> redis.Redis:
    """One probe client per app, made on first use."""
    client = app.extensions.get(_EXTENSION_KEY)
    if not isinstance(client, redis.Redis):
        client = probe_client(settings)
        app.extensions[_EXTENSION_KEY] = client
    return client


def heartbeat_age(client: redis.Redis, now: datetime) -> float | None:
    """Seconds since the last cron heartbeat, or None if there never was one."""
    raw = client.get(HEARTBEAT_KEY)
    if raw is None:
        return None
    text = raw.decode() if isinstance(raw, bytes) else str(raw)
    return max((now - datetime.fromisoformat(text)).total_seconds(), 0.0)
