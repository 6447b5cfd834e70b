"""`launchpad measurements push | import`: record KPI values from a shell or a script."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import click

from launchpad.cli.context import friendly_errors, now, session_for, settings
from launchpad.cli.output import emit_json
from launchpad.services.measurement_import import import_csv
from launchpad.services.measurements import NewMeasurement, record_measurement


@click.group("measurements")
def measurements_group() -> None:
    """Record measurements of a launch's metrics."""


def _parse_at(_ctx: object, _param: click.Parameter, value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise click.BadParameter(f"'{value}' is not a time; write 2027-03-09T08:00:00Z") from None
    if parsed.tzinfo is None:
        raise click.BadParameter("give the UTC offset too, e.g. 2027-03-09T08:00:00+01:00")
    return parsed


@measurements_group.command("push")
@click.option("--launch", "launch_id", type=int, required=True)
@click.option("--metric", required=True)
@click.option("--value", type=float, required=True)
@click.option("--at", "observed_at", callback=_parse_at, help="when observed (default: now)")
@click.option("--key", "idempotency_key", help="idempotency key: a replay is a no-op")
@click.option("--json", "as_json", is_flag=True)
@friendly_errors
def push(
    launch_id: int,
    metric: str,
    value: float,
    observed_at: datetime | None,
    idempotency_key: str | None,
    as_json: bool,
) -> None:
    """Record one value."""
    item = NewMeasurement(metric, value, observed_at, idempotency_key)
    with session_for(settings()) as session:
        recorded = record_measurement(session, launch_id, item, source="cli", now=now())
        stored = recorded.measurement
        data = {
            "id": stored.id,
            "launch_id": launch_id,
            "metric": stored.metric,
            "value": stored.value,
            "observed_at": stored.observed_at,
            "received_at": stored.received_at,
            "created": recorded.created,
        }
    if as_json:
        emit_json(data)
    else:
        state = "recorded" if recorded.created else "already recorded (replay)"
        click.echo(f"{state}: {metric} = {value:g} at {data['observed_at']:%Y-%m-%d %H:%M:%S%z}")


@measurements_group.command("import")
@click.option("--launch", "launch_id", type=int, required=True)
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@friendly_errors
def import_file(launch_id: int, path: Path) -> None:
    """Import a CSV file with columns metric,value,observed_at[,idempotency_key]."""
    with session_for(settings()) as session:
        results = import_csv(session, launch_id, path.read_text(encoding="utf-8"), now=now())
    created = sum(1 for result in results if result.created)
    click.echo(f"{created} recorded, {len(results) - created} already there")
