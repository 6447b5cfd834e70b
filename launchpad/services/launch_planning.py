"""Creating a launch: expand its template, map roles to people, persist in one go."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from launchpad.models import KpiTarget, Launch, LaunchRole, Task, TaskDependency, User
from launchpad.planning.expansion import LaunchSettings, Plan, expand
from launchpad.planning.parameters import ParameterError
from launchpad.planning.spec import TemplateSpec
from launchpad.planning.timezones import TimeZoneError
from launchpad.planning.workdays import CalendarError
from launchpad.services import audit
from launchpad.services.errors import InvalidInput
from launchpad.services.launch_events import emit, launch_summary
from launchpad.services.people import ensure_team, normalise_email, team_leads
from launchpad.services.template_library import load_library_template, register_version


@dataclass(frozen=True, slots=True)
class NewLaunch:
    """Everything a PM decides when creating a launch."""

    template_key: str
    name: str
    launch_date: date
    timezone: str = "UTC"
    launch_time: time | None = None
    holidays: str | None = None
    parameters: Mapping[str, object] = field(default_factory=dict)
    assignments: Mapping[str, str] = field(default_factory=dict)  # role -> email

    def settings(self) -> LaunchSettings:
        return LaunchSettings(
            launch_day=self.launch_date,
            timezone=self.timezone,
            launch_time=self.launch_time,
            holidays=self.holidays,
            parameters=self.parameters,
        )


def preview_plan(spec: TemplateSpec, settings: LaunchSettings) -> Plan:
    """The plan without saving anything; bad settings become InvalidInput."""
    try:
        return expand(spec, settings)
    except ParameterError as error:
        raise InvalidInput({"parameters": str(error)}) from error
    except TimeZoneError as error:
        raise InvalidInput({"timezone": str(error)}) from error
    except CalendarError as error:
        raise InvalidInput({"holidays": str(error)}) from error


def create_launch(
    session: Session, templates_dir: Path, request: NewLaunch, *, actor: User | None, now: datetime
) -> Launch:
    """Expand and persist a launch; nothing is written when any input is wrong."""
    spec = load_library_template(templates_dir, request.template_key)
    _check_name(request.name)
    plan = preview_plan(spec, request.settings())
    assignees = _resolve_assignments(session, spec, request.assignments)
    version = register_version(session, spec, now)
    teams = {key: ensure_team(session, key, now).id for key in spec.all_teams()}
    launch = Launch(
        name=request.name.strip(),
        template_version_id=version.id,
        launch_date=request.launch_date,
        launch_time=request.launch_time,
        timezone=request.timezone,
        holidays=plan.holidays,
        parameters=dict(plan.parameters),
        status="scheduled",
        created_by_id=actor.id if actor else None,
        created_at=now,
        updated_at=now,
    )
    session.add(launch)
    session.flush()
    people = _role_people(session, spec, teams, assignees)
    session.add_all(
        LaunchRole(launch_id=launch.id, role=role, team_id=teams[team], user_id=assignees.get(role))
        for role, team in spec.roles.items()
    )
    persist_plan(session, launch, plan, teams, people, now)
    audit.record(
        session,
        action="launch.created",
        entity="launch",
        entity_id=launch.id,
        actor=actor,
        now=now,
        launch=launch,
        after={
            "name": launch.name,
            "template": f"{spec.key}@{spec.version}",
            "launch_date": launch.launch_date,
            "tasks": len(plan.tasks),
        },
    )
    payload = {"launch": launch_summary(launch), "template": spec.key, "tasks": len(plan.tasks)}
    emit(session, "launch.created", launch.id, payload, f"launch.created-{launch.id}", now)
    return launch


def _check_name(name: str) -> None:
    if not name.strip():
        raise InvalidInput({"name": "give the launch a name"})
    if len(name) > 200:
        raise InvalidInput({"name": "keep the name under 200 characters"})


def _resolve_assignments(
    session: Session, spec: TemplateSpec, assignments: Mapping[str, str]
) -> dict[str, int]:
    """role -> user id for the roles given by email; all problems at once."""
    problems = {}
    resolved: dict[str, int] = {}
    emails = {normalise_email(email) for email in assignments.values()}
    users = {u.email: u for u in session.scalars(select(User).where(User.email.in_(emails)))}
    for role, email in assignments.items():
        user = users.get(normalise_email(email))
        if role not in spec.roles:
            problems[f"assign.{role}"] = (
                f"'{role}' is not a role of this template (roles: {', '.join(spec.roles)})"
            )
        elif user is None or not user.active:
            problems[f"assign.{role}"] = f"no active person with email {email}"
        else:
            resolved[role] = user.id
    if problems:
        raise InvalidInput(problems)
    return resolved


def _role_people(
    session: Session, spec: TemplateSpec, teams: dict[str, int], assignees: dict[str, int]
) -> dict[str, int | None]:
    """Who gets each role's and each team's tasks: the mapped person, else the team lead."""
    leads = team_leads(session, set(teams.values()))
    people: dict[str, int | None] = {team: leads.get(team_id) for team, team_id in teams.items()}
    for role, team in spec.roles.items():
        people[role] = assignees.get(role) or leads.get(teams[team])
    return people


def persist_plan(
    session: Session,
    launch: Launch,
    plan: Plan,
    teams: dict[str, int],
    people: dict[str, int | None],
    now: datetime,
) -> None:
    """Bulk-insert the plan's tasks, dependencies and KPI targets."""
    rows = [_task_row(launch.id, task, teams, people, now) for task in plan.tasks]
    ids: dict[str, int] = {}
    if rows:
        # RETURNING the key makes row order irrelevant, which lets SQLite batch the rows.
        returned = session.execute(insert(Task).returning(Task.id, Task.key), rows)
        ids = {key: task_id for task_id, key in returned}
    dependencies = [
        {"task_id": ids[task.key], "depends_on_id": ids[key]}
        for task in plan.tasks
        for key in task.depends_on
    ]
    if dependencies:
        session.execute(insert(TaskDependency), dependencies)
    kpis = [_kpi_row(launch.id, kpi, teams, now) for kpi in plan.kpis]
    if kpis:
        session.execute(insert(KpiTarget), kpis)


def _task_row(
    launch_id: int, task: Any, teams: dict[str, int], people: dict[str, int | None], now: datetime
) -> dict[str, Any]:
    return {
        "launch_id": launch_id,
        "key": task.key,
        "title": task.title,
        "description": task.description,
        "phase": task.phase,
        "team_id": teams[task.team],
        "role": task.role,
        "assignee_id": people.get(task.role or task.team),
        "due_offset": task.due_offset,
        "start_offset": task.start_offset,
        "duration": task.duration,
        "roll": task.roll,
        "due_date": task.due_date,
        "due_time": task.due_time,
        "start_date": task.start_date,
        "pinned": False,
        "status": "todo",
        "gate": task.gate,
        "milestone": task.milestone,
        "notes": "",
        "position": task.position,
        "sequence": 0,
        "version": 1,
        "created_at": now,
        "updated_at": now,
    }


def _kpi_row(launch_id: int, kpi: Any, teams: dict[str, int], now: datetime) -> dict[str, Any]:
    return {
        "launch_id": launch_id,
        "key": kpi.key,
        "name": kpi.name,
        "metric": kpi.metric,
        "comparator": kpi.comparator,
        "threshold": kpi.threshold,
        "role": kpi.role,
        "team_id": teams.get(kpi.team) if kpi.team else None,
        "unit": kpi.unit,
        "at_offset": kpi.at,
        "every": kpi.every,
        "from_offset": kpi.start,
        "until_offset": kpi.until,
        "created_at": now,
    }
