"""`launchpad templates list | check | preview`."""

from __future__ import annotations

import sys
from datetime import date, time
from pathlib import Path

import click

from launchpad.cli.context import friendly_errors, parse_date, parse_pairs, parse_time, settings
from launchpad.cli.output import emit_json, table
from launchpad.planning.errors import TemplateError
from launchpad.planning.expansion import LaunchSettings, Plan
from launchpad.planning.kpi_expressions import KpiCheck
from launchpad.planning.loader import check_template
from launchpad.services.launch_planning import preview_plan
from launchpad.services.template_library import (
    list_library,
    load_library_template,
    template_files,
)


@click.group("templates")
def templates_group() -> None:
    """Browse, check and preview launch templates."""


@templates_group.command("list")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def list_templates(as_json: bool) -> None:
    """The launch templates in the library, with task counts."""
    entries = list_library(settings().templates_dir)
    rows = [
        {
            "key": e.key,
            "name": e.spec.name if e.spec else None,
            "version": e.spec.version if e.spec else None,
            "tasks": len(e.spec.tasks) if e.spec else None,
            "kpis": len(e.spec.kpis) if e.spec else None,
            "parameters": list(e.spec.parameters) if e.spec else [],
            "valid": e.spec is not None,
            "errors": len(e.errors),
        }
        for e in entries
    ]
    if as_json:
        emit_json(rows)
        return
    table(
        ["key", "version", "tasks", "kpis", "name"],
        [[r["key"], r["version"], r["tasks"], r["kpis"], r["name"] or "INVALID"] for r in rows],
    )


@templates_group.command("check")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
def check(paths: tuple[Path, ...]) -> None:
    """Check templates (files or folders); print every error with file, line and a hint."""
    files = _expand(paths or (settings().templates_dir,))
    errors: list[TemplateError] = []
    for path in files:
        found = check_template(path)
        errors += found
        mark = "ok" if not found else f"{len(found)} error(s)"
        click.echo(f"{path}: {mark}", err=bool(found))
    for error in errors:
        click.echo(str(error), err=True)
    click.echo(f"checked {len(files)} template(s), {len(errors)} error(s)")
    if errors:
        sys.exit(2)


def _expand(paths: tuple[Path, ...]) -> list[Path]:
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files += template_files(path)
        elif path.is_file():
            files.append(path)
        else:
            raise click.BadParameter(f"{path} does not exist", param_hint="PATHS")
    if not files:
        raise click.BadParameter("no *.yaml templates found", param_hint="PATHS")
    return files


@templates_group.command("preview")
@click.argument("key")
@click.option("--date", "launch_date", required=True, callback=parse_date, help="YYYY-MM-DD")
@click.option("--time", "launch_time", callback=parse_time, help="Launch time, HH:MM.")
@click.option("--tz", "timezone", default="UTC", show_default=True, help="IANA time zone.")
@click.option("--holidays", help="Holiday calendar, e.g. US or DE-BY.")
@click.option("--param", "params", multiple=True, callback=parse_pairs, help="NAME=VALUE")
@click.option("--json", "as_json", is_flag=True)
@friendly_errors
def preview(
    key: str,
    launch_date: date,
    launch_time: time | None,
    timezone: str,
    holidays: str | None,
    params: dict[str, str],
    as_json: bool,
) -> None:
    """The plan KEY would give for a launch on --date, without saving anything."""
    spec = load_library_template(settings().templates_dir, key)
    plan = preview_plan(
        spec,
        LaunchSettings(launch_date, timezone, launch_time, holidays, params),
    )
    if as_json:
        emit_json(plan_json(plan))
        return
    print_plan(plan)


def plan_json(plan: Plan) -> dict[str, object]:
    return {
        "launch_date": plan.settings.launch_day,
        "timezone": plan.settings.timezone,
        "holidays": plan.holidays,
        "parameters": plan.parameters,
        "tasks": [
            {
                "key": t.key,
                "title": t.title,
                "phase": t.phase,
                "team": t.team,
                "role": t.role,
                "offset": t.due_offset,
                "due_date": t.due_date,
                "due_time": t.due_time,
                "start_date": t.start_date,
                "depends_on": list(t.depends_on),
                "gate": t.gate,
                "milestone": t.milestone,
            }
            for t in plan.tasks
        ],
        "kpis": [
            {
                "key": k.key,
                "check": str(KpiCheck(k.metric, k.comparator, k.threshold)),
                "at": k.at,
                "every": k.every,
                "from": k.start,
                "until": k.until,
            }
            for k in plan.kpis
        ],
        "warnings": list(plan.warnings),
    }


def print_plan(plan: Plan) -> None:
    table(
        ["phase", "due", "offset", "team", "owner", "task"],
        [
            [
                t.phase,
                _due(t.due_date, t.due_time),
                t.due_offset,
                t.team,
                t.role,
                ("[gate] " if t.gate else "") + t.title,
            ]
            for t in plan.tasks
        ],
    )
    click.echo(f"\n{len(plan.tasks)} tasks, {len(plan.kpis)} KPI targets")
    for warning in plan.warnings:
        click.echo(f"warning: {warning}")


def _due(day: date, at: time | None) -> str:
    return f"{day:%a %Y-%m-%d}" + (f" {at:%H:%M}" if at else "")
