"""The `launchpad` command: processes, database, demo data, templates, launches, people."""

from __future__ import annotations

import click

from launchpad.cli.feeds import feeds_group
from launchpad.cli.jobs import jobs_group
from launchpad.cli.launches import launches_group
from launchpad.cli.measurements import measurements_group
from launchpad.cli.probe import probe_command
from launchpad.cli.processes import cron, db_group, run, seed_demo_command, web, worker
from launchpad.cli.receiver import dev_receiver
from launchpad.cli.templates import templates_group
from launchpad.cli.tokens import tokens_group
from launchpad.cli.users import users_group


@click.group()
@click.version_option(package_name="launchpad")
def cli() -> None:
    """Launchpad: launch planning and go-to-market orchestration."""


for command in (
    run,
    web,
    worker,
    cron,
    db_group,
    seed_demo_command,
    templates_group,
    launches_group,
    users_group,
    tokens_group,
    feeds_group,
    measurements_group,
    jobs_group,
    dev_receiver,
    probe_command,
):
    cli.add_command(command)


def main() -> None:
    """Console entry point (exit codes: 0 success, 2 bad input, 1 anything else)."""
    cli(prog_name="launchpad")
