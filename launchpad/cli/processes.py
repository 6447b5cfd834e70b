"""Starting Launchpad's processes, migrating the database and seeding the demo."""

from __future__ import annotations

import os
import sys

import click

from launchpad import migrate
from launchpad.cli.context import friendly_errors, now, session_for, settings
from launchpad.services.demo import seed_demo


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
def run(host: str, port: int) -> None:
    """Web, worker and cron together on the embedded defaults (Ctrl-C stops all)."""
    from launchpad.supervisor import run_all

    run_all(settings(), host, port)


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
def web(host: str, port: int) -> None:
    """The web app alone, under gunicorn (LAUNCHPAD_WEB_WORKERS, _THREADS, _TIMEOUT)."""
    from launchpad.config import ConfigError
    from launchpad.webserver import serve

    try:
        serve(settings(), host, port)
    except ConfigError as error:
        raise click.UsageError(str(error)) from error


def _exec_module(module: str) -> None:
    """Replace this process with a background-job module (launchpad never imports them)."""
    os.execv(sys.executable, [sys.executable, "-m", module, *sys.argv[2:]])


@click.command(context_settings={"ignore_unknown_options": True, "allow_extra_args": True})
def worker() -> None:
    """An RQ worker on the kpi, notify and maintenance queues."""
    _exec_module("workflows.worker")


@click.command()
def cron() -> None:
    """The periodic ticks; run exactly one."""
    _exec_module("workflows.cron")


@click.group("db")
def db_group() -> None:
    """Database schema."""


@db_group.command("upgrade")
@click.option("--revision", default="heads", show_default=True)
def upgrade(revision: str) -> None:
    """Apply Alembic migrations."""
    current = settings()
    migrate.upgrade(current.database_url, revision)
    click.echo(f"database at {migrate.current_revision(current.database_url)}")


@click.command("seed-demo")
@friendly_errors
def seed_demo_command() -> None:
    """Create a demo organisation and launch (once; later runs change nothing)."""
    current = settings()
    with session_for(current) as session:
        result = seed_demo(session, current.templates_dir, now(), secret_key=current.secret_key)
    state = "created" if result.created else "already there"
    click.echo(
        f"demo {state}: launch #{result.launch_id}; "
        f"sign in as {result.admin_email} / {result.password}"
    )
