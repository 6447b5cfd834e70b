"""Programmatic Alembic: upgrade a database and ask which revision it is at.

The scripts live in the top-level ``migrations/`` directory of the (editable) install; no
alembic.ini is needed at run time. Migrations run only when asked (``launchpad db
upgrade``, the compose ``migrate`` service, the test session), never inside create_app.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, text

from launchpad.db import make_engine

MIGRATIONS_DIR = Path(__file__).resolve().parents[1] / "migrations"


def alembic_config(database_url: str | None = None) -> Config:
    """An Alembic config pointing at our scripts; env.py reads the URL from attributes."""
    if not (MIGRATIONS_DIR / "env.py").is_file():
        raise FileNotFoundError(f"Alembic scripts not found in {MIGRATIONS_DIR}")
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if database_url is not None:
        config.attributes["database_url"] = database_url
    return config


def upgrade(database_url: str, revision: str = "heads") -> None:
    """Migrate ``database_url`` to ``revision`` in one transaction.

    SQLite runs with foreign keys off (batch mode recreates tables) and is checked for
    dangling references afterwards.
    """
    engine = make_engine(database_url, sqlite_foreign_keys=False)
    try:
        with engine.begin() as connection:
            config = alembic_config(database_url)
            config.attributes["connection"] = connection
            command.upgrade(config, revision)
            if connection.dialect.name == "sqlite":
                _check_sqlite_foreign_keys(connection)
    finally:
        engine.dispose()


def current_revision(database_url: str) -> str | None:
    """The revision(s) the database is at (comma-joined), or None if never migrated."""
    engine = make_engine(database_url)
    try:
        with engine.connect() as connection:
            heads = MigrationContext.configure(connection).get_current_heads()
            return ",".join(sorted(heads)) or None
    finally:
        engine.dispose()


def head_revision() -> str | None:
    """The newest revision(s) in ``migrations/versions`` (comma-joined, sorted).

    Parallel branches are allowed while features are built side by side; `upgrade`
    applies every head.
    """
    heads = ScriptDirectory.from_config(alembic_config()).get_heads()
    return ",".join(sorted(heads)) or None


def _check_sqlite_foreign_keys(connection: Connection) -> None:
    problems = connection.execute(text("PRAGMA foreign_key_check")).all()
    if problems:
        raise RuntimeError(f"migration left dangling foreign keys: {problems[:5]}")
