"""`launchpad jobs status [--json]`: queue depths, checks evaluated, lag, failed deliveries."""

from __future__ import annotations

import click
import redis

from launchpad.background import queue_depths
from launchpad.broker import embedded_redis_running, redis_connection
from launchpad.cli.context import now, session_for, settings
from launchpad.cli.output import emit_json, table
from launchpad.config import Settings
from launchpad.services.job_status import jobs_status


@click.group("jobs")
def jobs_group() -> None:
    """Background jobs: are they keeping up?"""


@jobs_group.command("status")
@click.option("--json", "as_json", is_flag=True)
def status(as_json: bool) -> None:
    """Queue depths, checks evaluated so far, the lag and failed deliveries."""
    current = settings()
    with session_for(current) as session:
        figures = jobs_status(session, _queues(current), now())
    if as_json:
        emit_json(figures)
        return
    queues = figures["queues"]
    table(
        ["queue", "waiting"], sorted(queues.items()) if queues else [["(redis)", "not reachable"]]
    )
    click.echo(
        f"checks evaluated: {figures['evaluated']}  waiting: {figures['checks']['scheduled']}"
    )
    click.echo(f"lag (oldest ready check not evaluated): {figures['lag_seconds']} s")
    click.echo(f"failed deliveries: {figures['failed_deliveries']}")


def _queues(current: Settings) -> dict[str, int] | None:
    """Depths, without starting an embedded Redis just to look at it."""
    if current.redis_url is None and not embedded_redis_running(current.instance_dir):
        return None
    try:
        connection = redis_connection(current)
        try:
            return queue_depths(connection)
        finally:
            connection.close()
    except (redis.RedisError, OSError):
        return None
