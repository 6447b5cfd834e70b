"""Shared fixtures: real databases and a real Redis, one clean slate per test.

By default the suite runs on the embedded defaults (a SQLite file and an embedded
redis-server, both in temporary directories). With LAUNCHPAD_TEST_DATABASE_URL and
LAUNCHPAD_TEST_REDIS_URL it runs on those servers instead; the Redis database index of that
URL is flushed (FLUSHDB, never FLUSHALL), so point it at an index nothing else uses.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from launchpad import create_app
from launchpad.broker import ensure_embedded_redis, stop_embedded_redis
from launchpad.config import Settings
from launchpad.db import Base, make_engine, make_session_factory
from launchpad.extensions import get_state


@pytest.fixture(scope="session")
def raw_database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The test database URL, not yet migrated (tests of config need no schema)."""
    url = os.environ.get("LAUNCHPAD_TEST_DATABASE_URL", "").strip()
    return url or f"sqlite:///{tmp_path_factory.mktemp('db') / 'launchpad-test.db'}"


@pytest.fixture(scope="session")
def database_url(raw_database_url: str) -> str:
    """The test database URL, migrated to head once per session."""
    from launchpad.migrate import upgrade

    upgrade(raw_database_url)
    return raw_database_url


@pytest.fixture(scope="session")
def redis_url() -> Iterator[str]:
    """LAUNCHPAD_TEST_REDIS_URL, or an embedded server in a short temporary directory."""
    url = os.environ.get("LAUNCHPAD_TEST_REDIS_URL", "").strip()
    if url:
        yield url
        return
    directory = Path(tempfile.mkdtemp(prefix="lp-"))
    try:
        yield ensure_embedded_redis(directory)
    finally:
        stop_embedded_redis(directory)
        shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture
def settings(tmp_path: Path, raw_database_url: str, redis_url: str) -> Settings:
    """Settings for one test: its own instance dir, the shared test database and Redis."""
    return Settings.from_env(
        {},
        instance_dir=tmp_path / "instance",
        database_url=raw_database_url,
        redis_url=redis_url,
        testing=True,
    )


@pytest.fixture(scope="session")
def engine(database_url: str) -> Iterator[Engine]:
    """An engine on the migrated test database."""
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    """A plain session; whatever it (or the app) wrote is emptied after the test."""
    with make_session_factory(engine)() as session:
        yield session


@pytest.fixture(autouse=True)
def _empty_tables_after_test(request: pytest.FixtureRequest) -> Iterator[None]:
    """Every test that touched the database leaves every table empty behind it."""
    engine = request.getfixturevalue("engine") if "database_url" in request.fixturenames else None
    yield
    if engine is not None:
        empty_all_tables(engine)


def empty_all_tables(engine: Engine) -> None:
    """TRUNCATE on PostgreSQL (ids restart); DELETE children first on SQLite."""
    tables = Base.metadata.sorted_tables
    if not tables:
        return
    with engine.begin() as connection:
        quote = connection.dialect.identifier_preparer.format_table
        if connection.dialect.name == "postgresql":
            # A session a test leaked would block TRUNCATE forever; fail loudly instead.
            connection.execute(text("SET LOCAL lock_timeout = '10s'"))
            names = ", ".join(quote(table) for table in tables)
            connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
            return
        for table in reversed(tables):
            connection.execute(table.delete())
        has_sequences = text("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_sequence'")
        if connection.execute(has_sequences).first() is not None:
            connection.execute(text("DELETE FROM sqlite_sequence"))


@pytest.fixture
def redis_conn(redis_url: str) -> Iterator[redis.Redis]:
    """A client on the test Redis database, flushed (FLUSHDB only) before and after."""
    client = redis.Redis.from_url(redis_url)
    client.flushdb()
    try:
        yield client
    finally:
        client.flushdb()
        client.close()


@pytest.fixture
def app(settings: Settings, database_url: str) -> Iterator[Flask]:
    """The app on the migrated test database; its engine is disposed afterwards."""
    app = create_app(settings)
    yield app
    get_state(app).engine.dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """A test client of ``app``."""
    return app.test_client()
