"""A migration that fails half-way leaves the schema exactly as it was.

``launchpad.migrate.upgrade`` runs every pending revision in one transaction (PostgreSQL
and SQLite both have transactional DDL), so a broken script rolls back the statements
that ran before it failed. The broken script lives in a temporary copy of migrations/.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import inspect

from launchpad import migrate
from launchpad.db import make_engine

from .conftest import create_database
from .servers import PrivateCluster

pytestmark = pytest.mark.slow

BROKEN = '''"""A deliberately failing revision (test only)."""
import sqlalchemy as sa
from alembic import op

revision = "9999"
down_revision = {heads!r}


def upgrade() -> None:
    op.create_table("ops_half_done", sa.Column("id", sa.Integer, primary_key=True))
    with op.batch_alter_table("launches") as batch:
        batch.add_column(sa.Column("half_done", sa.Integer))
    raise RuntimeError("deliberately broken migration")


def downgrade() -> None:
    pass
'''


def broken_copy(tmp_path: Path) -> Path:
    """migrations/ plus one revision on top of every head that fails after some DDL."""
    copy = tmp_path / "migrations"
    shutil.copytree(migrate.MIGRATIONS_DIR, copy, ignore=shutil.ignore_patterns("__pycache__"))
    heads = tuple(sorted(ScriptDirectory(str(copy)).get_heads()))
    (copy / "versions" / "9999_broken.py").write_text(BROKEN.format(heads=heads))
    return copy


def schema(url: str) -> dict[str, list[str]]:
    """Every table with its columns, and the recorded revision(s)."""
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            inspector = inspect(connection)
            tables = {
                name: sorted(column["name"] for column in inspector.get_columns(name))
                for name in inspector.get_table_names()
            }
    finally:
        engine.dispose()
    tables["@revision"] = [migrate.current_revision(url) or ""]
    return tables


@pytest.fixture(params=["sqlite", "postgresql"])
def scratch_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'scratch.db'}"
    cluster: PrivateCluster = request.getfixturevalue("private_cluster")
    return create_database(cluster, "lp_migration")


def test_a_failing_revision_leaves_a_current_schema_untouched(
    scratch_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    migrate.upgrade(scratch_url)
    before = schema(scratch_url)
    assert "launches" in before

    monkeypatch.setattr(migrate, "MIGRATIONS_DIR", broken_copy(tmp_path))
    with pytest.raises(RuntimeError, match="deliberately broken"):
        migrate.upgrade(scratch_url)

    assert schema(scratch_url) == before


def test_a_failing_first_install_leaves_an_empty_database(
    scratch_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(migrate, "MIGRATIONS_DIR", broken_copy(tmp_path))
    with pytest.raises(RuntimeError, match="deliberately broken"):
        migrate.upgrade(scratch_url)

    assert schema(scratch_url) == {"@revision": [""]}
