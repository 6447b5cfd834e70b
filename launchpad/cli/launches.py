"""`launchpad launches list | show | create | reschedule`."""

from __future__ import annotations

from datetime import date, time

import click
from sqlalchemy import select

from launchpad.cli.context import (
    friendly_errors,
    now,
    parse_date,
    parse_pairs,
    parse_time,
    session_for,
    settings,
)
from launchpad.cli.output import emit_json, table
from launchpad.models import Launch
from launchpad.planning.reschedule import ReschedulePlan
from launchpad.services.launch_overview import launch_overview, task_counts
from launchpad.services.launch_planning import NewLaunch, create_launch
from launchpad.services.rescheduling import reschedule_launch


@click.group("launches")
def launches_group() -> None:
    """List, show, create and reschedule launches."""


@launches_group.command("list")
@click.option("--json", "as_json", is_flag=True)
def list_launches(as_json: bool) -> None:
    """Every launch, soonest launch day first."""
    with session_for(settings()) as session:
        launches = list(session.scalars(select(Launch).order_by(Launch.launch_date, Launch.id)))
        counts = task_counts(session, [launch.id for launch in launches])
        rows = [
            {
                "id": item.id,
                "name": item.name,
                "launch_date": item.launch_date,
                "status": item.status,
                "timezone": item.timezone,
                "tasks": counts.get(item.id, 0),
                "version": item.version,
            }
            for item in launches
        ]
    if as_json:
        emit_json(rows)
    else:
        table(
            ["id", "launch day", "status", "tasks", "name"],
            [[r["id"], r["launch_date"], r["status"], r["tasks"], r["name"]] for r in rows],
        )


@launches_group.command("show")
@click.argument("launch_id", type=int)
@click.option("--json", "as_json", is_flag=True)
@friendly_errors
def show(launch_id: int, as_json: bool) -> None:
    """One launch: readiness per phase and team, go / no-go, critical path."""
    with session_for(settings()) as session:
        overview = launch_overview(session, launch_id, now().date())
        launch = overview.launch
        data = {
            "id": launch.id,
            "name": launch.name,
            "status": launch.status,
            "launch_date": launch.launch_date,
            "timezone": launch.timezone,
            "holidays": launch.holidays,
            "version": launch.version,
            "template": f"{launch.template_version.key}@{launch.template_version.version}",
            "readiness": overview.readiness.overall.percent,
            "phases": {p: s.percent for p, s in overview.readiness.by_phase.items()},
            "teams": {t: s.percent for t, s in overview.readiness.by_team.items()},
            "overdue": overview.readiness.overdue,
            "at_risk": overview.readiness.at_risk,
            "go": overview.decision.go,
            "no_go_reasons": overview.decision.reasons,
            "critical_path": overview.critical.path,
            "tasks": len(overview.progress),
        }
    if as_json:
        emit_json(data)
        return
    click.echo(
        f"#{data['id']} {data['name']} - {data['status']}, launch day "
        f"{launch.launch_date:%a %Y-%m-%d} ({data['timezone']}), version {data['version']}"
    )
    click.echo(f"template {data['template']}, {data['tasks']} tasks, ready {data['readiness']}%")
    table(["phase", "ready"], [[p, f"{v}%"] for p, v in data["phases"].items()])  # type: ignore[attr-defined]
    click.echo(
        "go" if overview.decision.go else "no-go:\n  " + "\n  ".join(overview.decision.reasons)
    )
    click.echo("critical path: " + " -> ".join(overview.critical.path))


@launches_group.command("create")
@click.option("--template", "template_key", required=True, help="Launch template key.")
@click.option("--date", "launch_date", required=True, callback=parse_date, help="YYYY-MM-DD")
@click.option("--name", required=True)
@click.option("--time", "launch_time", callback=parse_time, help="HH:MM local time.")
@click.option("--tz", "timezone", default="UTC", show_default=True)
@click.option("--holidays", help="Holiday calendar, e.g. US or DE-BY.")
@click.option("--param", "params", multiple=True, callback=parse_pairs, help="NAME=VALUE")
@click.option("--assign", "assignments", multiple=True, callback=parse_pairs, help="ROLE=EMAIL")
@click.option("--json", "as_json", is_flag=True)
@friendly_errors
def create(
    template_key: str,
    launch_date: date,
    name: str,
    launch_time: time | None,
    timezone: str,
    holidays: str | None,
    params: dict[str, str],
    assignments: dict[str, str],
    as_json: bool,
) -> None:
    """Create a launch from a launch template."""
    current = settings()
    request = NewLaunch(
        template_key, name, launch_date, timezone, launch_time, holidays, params, assignments
    )
    with session_for(current) as session:
        launch = create_launch(session, current.templates_dir, request, actor=None, now=now())
        result = {
            "id": launch.id,
            "name": launch.name,
            "launch_date": launch.launch_date,
            "version": launch.version,
        }
    if as_json:
        emit_json(result)
    else:
        click.echo(f"created launch #{result['id']} {result['name']} on {result['launch_date']}")


@launches_group.command("reschedule")
@click.argument("launch_id", type=int)
@click.option("--date", "new_date", required=True, callback=parse_date, help="YYYY-MM-DD")
@click.option("--dry-run", is_flag=True, help="Show what would move; change nothing.")
@click.option("--expected-version", type=int, help="Fail if the launch changed since.")
@click.option("--json", "as_json", is_flag=True)
@friendly_errors
def reschedule(
    launch_id: int, new_date: date, dry_run: bool, expected_version: int | None, as_json: bool
) -> None:
    """Move launch day; open, unpinned tasks follow their offsets."""
    with session_for(settings()) as session:
        plan = reschedule_launch(
            session,
            launch_id,
            new_date,
            expected_version=expected_version,
            actor=None,
            now=now(),
            apply=not dry_run,
        )
    if as_json:
        emit_json(reschedule_json(plan, applied=not dry_run))
    else:
        _print_reschedule(plan, dry_run)


def reschedule_json(plan: ReschedulePlan, *, applied: bool) -> dict[str, object]:
    return {
        "applied": applied,
        "old_launch_date": plan.old_launch_day,
        "new_launch_date": plan.new_launch_day,
        "moves": [
            {"key": m.key, "title": m.title, "old_due": m.old_due, "new_due": m.new_due}
            for m in plan.moves
        ],
        "kept_pinned": list(plan.kept_pinned),
        "kept_settled": list(plan.kept_settled),
        "violations": [
            {
                "task": v.task,
                "dependency": v.dependency,
                "task_due": v.task_due,
                "dependency_due": v.dependency_due,
            }
            for v in plan.violations
        ],
    }


def _print_reschedule(plan: ReschedulePlan, dry_run: bool) -> None:
    table(["task", "from", "to"], [[m.title, m.old_due, m.new_due] for m in plan.moves])
    verb = "would move" if dry_run else "moved"
    click.echo(
        f"\n{verb} {len(plan.moves)} task(s) from {plan.old_launch_day} to "
        f"{plan.new_launch_day}; kept {len(plan.kept_pinned)} pinned, "
        f"{len(plan.kept_settled)} done or skipped"
    )
    for v in plan.violations:
        click.echo(
            f"warning: {v.task} ({v.task_due}) would be due before its dependency "
            f"{v.dependency} ({v.dependency_due})"
        )
