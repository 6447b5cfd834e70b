"""``launchpad probe web|worker|cron``: the container health check (exit 0 healthy, 1 not)."""

from __future__ import annotations

import click

from launchpad.cli.context import settings
from launchpad.container_probes import PROCESSES, probe


@click.command("probe")
@click.argument("process", type=click.Choice(PROCESSES))
@click.option("--port", default=8000, show_default=True, type=int, help="web only")
def probe_command(process: str, port: int) -> None:
    """Check that this container's web, worker or cron process is alive."""
    problem = probe(process, settings(), port)
    if problem is not None:
        raise click.ClickException(problem)
    click.echo(f"{process} healthy")
