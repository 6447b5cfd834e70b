"""Alembic environment: Launchpad's metadata, batch mode on SQLite, types compared.

Used two ways: programmatically by ``launchpad.migrate`` (which passes a connection in
``config.attributes``) and by developers running ``alembic revision --autogenerate`` with
the top-level alembic.ini (the URL then comes from LAUNCHPAD_DATABASE_URL or the defaults).
"""

from __future__ import annotations

from logging.config import fileConfig
from typing import Any

from alembic import context
from sqlalchemy import Connection

from launchpad.config import Settings
from launchpad.db import Base, UtcDateTime, make_engine

try:
    import launchpad.models  # noqa: F401  (registers every table on Base.metadata)
except ModuleNotFoundError as exc:
    if exc.name != "launchpad.models":
        raise
    raise ImportError(
        "launchpad.models is missing: migrations need the models package to know the tables"
    ) from exc

config = context.config
target_metadata = Base.metadata


def render_item(type_: str, obj: Any, autogen_context: Any) -> str | bool:
    """Write UtcDateTime as a plain timestamptz so migrations never import app code."""
    if type_ == "type" and isinstance(obj, UtcDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def run_with(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        render_item=render_item,
    )
    with context.begin_transaction():
        context.run_migrations()


def database_url() -> str:
    url = config.attributes.get("database_url")
    return str(url) if url else Settings.from_env().database_url


def run_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        run_with(connection)
        return
    engine = make_engine(database_url(), sqlite_foreign_keys=False)
    try:
        with engine.connect() as new_connection:
            run_with(new_connection)
    finally:
        engine.dispose()


def run_offline() -> None:
    url = database_url()
    context.configure(
        url=url,
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=url.startswith("sqlite"),
        render_item=render_item,
    )
    with context.begin_transaction():
        context.run_migrations()


if config.config_file_name is not None and config.attributes.get("connection") is None:
    fileConfig(config.config_file_name, disable_existing_loggers=False)

if context.is_offline_mode():
    run_offline()
else:
    run_online()
