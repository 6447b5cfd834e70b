"""`INSERT ... ON CONFLICT DO NOTHING` on SQLite and PostgreSQL alike.

Idempotent writers (replayed pushes, re-materialised checks, outbox rows written twice by a
retried job) rely on a unique constraint and this statement instead of read-then-write,
which races between processes.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Insert, inspect
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from launchpad.db import Base


def insert_ignoring_conflicts(
    session: Session, model: type[Base], conflict: Sequence[str]
) -> Insert:
    """An INSERT for `model` that skips rows clashing on the unique columns `conflict`."""
    if session.get_bind().dialect.name == "postgresql":
        return postgresql.insert(model).on_conflict_do_nothing(index_elements=list(conflict))
    return sqlite.insert(model).on_conflict_do_nothing(index_elements=list(conflict))


def insert_new(
    session: Session, model: type[Base], rows: list[dict[str, Any]], conflict: Sequence[str]
) -> int:
    """Insert `rows`, skipping those that already exist; return how many were new."""
    if not rows:
        return 0
    statement = insert_ignoring_conflicts(session, model, conflict)
    key = next(iter(inspect(model).primary_key))
    # RETURNING yields only the rows inserted; rowcount is unreliable for executemany.
    return len(session.execute(statement.returning(key), rows).all())
