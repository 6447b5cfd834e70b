"""What a job needs, built lazily once per process from the environment.

The worker builds the app before forking work horses, so each job starts with the settings
and engine ready; the engine's pool is discarded in the child because pooled connections
must never cross a fork.
"""

from __future__ import annotations

import logging
import os
from functools import cache

import redis
from flask import Flask
from sqlalchemy.orm import Session, sessionmaker

from launchpad import create_app
from launchpad.broker import redis_connection
from launchpad.config import Settings
from launchpad.extensions import get_state
from launchpad.tuning import Tuning

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(process)d] %(message)s"


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


def configure_logging(level: int = logging.INFO) -> None:
    """One line per record on stderr, with the pid since web, worker and cron interleave."""
    logging.basicConfig(level=level, format=LOG_FORMAT)
