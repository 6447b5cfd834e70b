"""Checking a pooled PostgreSQL connection before use, but only after it sat idle.

``pool_pre_ping`` costs a round trip on every checkout, which for a conditional calendar
poll was a quarter of its time. A connection handed back moments ago is as alive as a
ping would show; one idle for a while may have been cut by a database restart or a
firewall. So only connections idle longer than ``IDLE_SECONDS`` are pinged; a dead one is
replaced before the request sees it. A connection that dies while busy raises a
disconnect error, which makes SQLAlchemy throw away the whole pool: that request answers
503 (the outage page) and the next ones get fresh connections.
"""

from __future__ import annotations

import time
from typing import Any

from sqlalchemy import Engine, event
from sqlalchemy.exc import DisconnectionError

IDLE_SECONDS = 1.0
_CHECKED_IN = "launchpad_checked_in_at"


def ping_idle_connections(engine: Engine, idle_seconds: float = IDLE_SECONDS) -> None:
    """Install the checkout ping (PostgreSQL engines; SQLite needs none)."""

    @event.listens_for(engine, "checkin")
    def _remember(_dbapi_connection: Any, record: Any) -> None:
        record.info[_CHECKED_IN] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _ping_if_idle(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        checked_in = record.info.get(_CHECKED_IN)
        if checked_in is not None and time.monotonic() - checked_in < idle_seconds:
            return
        try:
            cursor = dbapi_connection.cursor()
            cursor.execute("SELECT 1")
            cursor.close()
            dbapi_connection.rollback()
        except Exception as error:  # any failure: discard it, the pool tries another
            raise DisconnectionError(f"idle connection failed its ping: {error}") from error
