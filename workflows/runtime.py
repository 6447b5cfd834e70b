"""What a job needs, built lazily once per process from the environment.

The worker builds the app before forking work horses, so each job starts with the settings
and engine ready; the engine's pool is discarded in the child because pooled connections
must never cross a fork.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from functools import cache

import redis
from flask import Flask
from sqlalchemy.orm import Session, sessionmaker

from launchpad import create_app
from launchpad.broker import redis_connection
from launchpad.config import ConfigError, Settings
from launchpad.extensions import get_state
from launchpad.observability import log_format
from launchpad.tuning import Tuning

REDIS_RETRY_MAX_SECONDS = 30.0  # the longest wait of worker and cron for Redis


@cache
def settings() -> Settings:
    """This process's settings, read from ``LAUNCHPAD_*`` once."""
    return Settings.from_env()


@cache
def app() -> Flask:
    """This process's app (for the session factory and app-context work like templates)."""
    built = create_app(settings())
    engine = get_state(built).engine
    os.register_at_fork(after_in_child=lambda: engine.dispose(close=False))
    return built


def sessions() -> sessionmaker[Session]:
    """The session factory jobs open their unit of work with (``launchpad.db.session_scope``)."""
    return get_state(app()).sessions


@cache
def tuning() -> Tuning:
    """Ticks, leases, retries and timeouts of background work (LAUNCHPAD_* overrides)."""
    return Tuning.from_env()


@cache
def redis_client() -> redis.Redis:
    """This process's Redis client (the embedded server is started if needed)."""
    return redis_connection(settings())


def configure_logging(level: int = logging.INFO, environ: Mapping[str, str] | None = None) -> None:
    """One line per record on stderr, as LAUNCHPAD_LOG_FORMAT says (plain unless ``json``).

    The same formatters as ``launchpad web``: pid and request id on each line, URL secrets
    redacted; ``json`` gives one object per line (``ts``, ``level``, ``logger``, ``pid``,
    ``request_id``, ``message``, ``error``).
    """
    try:
        style = log_format.style_from_env(environ)
    except ValueError as error:
        raise ConfigError(str(error)) from None
    log_format.configure_logging(style, level)
