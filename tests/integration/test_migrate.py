"""Programmatic Alembic: the test database is at the newest revision, as the models say."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, inspect

import launchpad.models  # noqa: F401  (every model on Base.metadata)
from launchpad.db import Base
from launchpad.migrate import current_revision, head_revision, upgrade


def test_the_test_database_is_at_head(database_url: str) -> None:
    assert current_revision(database_url) == head_revision()


def test_upgrading_again_changes_nothing(database_url: str) -> None:
    before = current_revision(database_url)
    upgrade(database_url)
    assert current_revision(database_url) == before


def test_the_migrations_build_what_the_models_declare(engine: Engine) -> None:
    """A model change without its migration (or the reverse) shows up here, not in prod."""
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert differences == []
    indexes = {index["name"] for index in inspect(engine).get_indexes("tasks")}
    assert "ix_tasks_open_by_team" in indexes
