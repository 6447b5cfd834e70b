"""Programmatic Alembic: the test database is at the newest revision."""

from __future__ import annotations

from launchpad.migrate import current_revision, head_revision, upgrade


def test_the_test_database_is_at_head(database_url: str) -> None:
    assert current_revision(database_url) == head_revision()


def test_upgrading_again_changes_nothing(database_url: str) -> None:
    before = current_revision(database_url)
    upgrade(database_url)
    assert current_revision(database_url) == before
