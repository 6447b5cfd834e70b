"""UtcDateTime and the engine settings, on whichever database the suite runs against."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import Column, Engine, Integer, MetaData, Table, insert, select, text
from sqlalchemy.exc import StatementError

from launchpad.db import UtcDateTime, make_engine, make_session_factory, session_scope

metadata = MetaData()
stamps = Table(
    "lp_test_stamps",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("at", UtcDateTime()),
)


@pytest.fixture
def raw_engine(raw_database_url: str) -> Iterator[Engine]:
    engine = make_engine(raw_database_url)
    metadata.create_all(engine)
    yield engine
    metadata.drop_all(engine)
    engine.dispose()


def test_aware_datetimes_come_back_as_utc(raw_engine: Engine) -> None:
    tokyo = datetime(2027, 3, 2, 18, 30, tzinfo=timezone(timedelta(hours=9)))
    with raw_engine.begin() as connection:
        connection.execute(insert(stamps).values(id=1, at=tokyo))
        stored = connection.execute(select(stamps.c.at)).scalar_one()
        later = connection.execute(
            select(stamps.c.id).where(stamps.c.at >= datetime(2027, 3, 2, 9, 30, tzinfo=UTC))
        ).all()
    assert stored == tokyo
    assert stored.tzinfo is UTC
    assert stored.hour == 9
    assert len(later) == 1


def test_naive_datetimes_are_refused(raw_engine: Engine) -> None:
    with raw_engine.begin() as connection, pytest.raises(StatementError, match="naive"):
        connection.execute(insert(stamps).values(id=2, at=datetime(2027, 3, 2, 9, 30)))


def test_session_scope_commits_or_rolls_back(raw_engine: Engine) -> None:
    factory = make_session_factory(raw_engine)
    with session_scope(factory) as session:
        session.execute(insert(stamps).values(id=3, at=datetime.now(UTC)))
    with pytest.raises(RuntimeError), session_scope(factory) as session:
        session.execute(insert(stamps).values(id=4, at=datetime.now(UTC)))
        raise RuntimeError("boom")
    with raw_engine.connect() as connection:
        assert connection.execute(select(stamps.c.id)).scalars().all() == [3]


def test_sqlite_connections_enforce_foreign_keys_and_use_wal(tmp_path: Path) -> None:
    """Checked on a SQLite file of its own, so it runs whatever database the suite uses."""
    engine = make_engine(f"sqlite:///{tmp_path / 'pragmas.db'}")
    with engine.connect() as connection:
        assert connection.execute(text("PRAGMA foreign_keys")).scalar_one() == 1
        assert connection.execute(text("PRAGMA journal_mode")).scalar_one() == "wal"
        assert connection.execute(text("PRAGMA busy_timeout")).scalar_one() == 5000
    engine.dispose()
