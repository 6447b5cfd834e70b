"""Claiming rows for background work under a lease, on SQLite and PostgreSQL alike.

A claim is one short transaction: lock candidate rows (`FOR UPDATE SKIP LOCKED` on
PostgreSQL, the database-wide write lock of `BEGIN IMMEDIATE` on SQLite), mark them with a
claim token and a lease, commit. Whoever holds the token does the work; if it dies, the
lease expires and a reaper makes the rows claimable again.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session


def begin_write(session: Session) -> None:
    """Start the transaction as a writer (BEGIN IMMEDIATE on SQLite; a no-op elsewhere).

    Must be the session's first statement: SQLite cannot upgrade a reader that another
    writer overtook, which would surface later as a "database is locked" error.
    """
    if session.in_transaction() and not is_postgresql(session):
        raise RuntimeError("begin_write must start the transaction: commit or roll back first")
    session.connection(execution_options={"sqlite_immediate": True})


def claim_token(first_id: int, count: int, now: datetime) -> str:
    """Unique per claim and usable in an RQ job id (letters, digits, '-' and '_')."""
    return f"{first_id}-{count}-{now.strftime('%Y%m%dT%H%M%S%f')}"


def is_postgresql(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"
