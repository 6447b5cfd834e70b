"""Creating launches from templates: what is persisted, and nothing on bad input."""

from __future__ import annotations

import shutil
from datetime import date, time
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from launchpad.models import (
    AuditEvent,
    KpiTarget,
    Launch,
    LaunchRole,
    Task,
    TaskDependency,
    TemplateVersion,
)
from launchpad.planning.expansion import LaunchSettings
from launchpad.services.errors import InvalidInput, NotFound
from launchpad.services.launch_planning import NewLaunch, create_launch, preview_plan
from launchpad.services.template_library import load_library_template, spec_of

from .conftest import NOW, MakeLaunch, Org


def count(session: Session, model: type) -> int:
    return session.scalar(select(func.count()).select_from(model)) or 0


def test_launch_persists_the_previewed_plan(
    session: Session, make_launch: MakeLaunch, templates_dir: Path
) -> None:
    launch = make_launch()
    spec = load_library_template(templates_dir, "feature-release")
    plan = preview_plan(spec, LaunchSettings(date(2027, 3, 2), "Europe/Berlin", None, "DE", {}))
    tasks = session.scalars(select(Task).where(Task.launch_id == launch.id).order_by(Task.position))
    stored = [(t.key, t.due_date, t.due_time, t.start_date, t.phase) for t in tasks]
    assert stored == [(t.key, t.due_date, t.due_time, t.start_date, t.phase) for t in plan.tasks]
    edges = sum(len(t.depends_on) for t in plan.tasks)
    assert count(session, TaskDependency) == edges > 0
    assert count(session, KpiTarget) == len(plan.kpis) > 0
    assert {r.role for r in session.scalars(select(LaunchRole))} == set(spec.roles)
    event = session.scalars(select(AuditEvent)).one()
    assert (event.action, event.launch_id, event.launch_version) == ("launch.created", launch.id, 1)


def test_roles_map_to_people_and_fall_back_to_the_team_lead(
    session: Session, make_launch: MakeLaunch, org: Org
) -> None:
    launch = make_launch(assignments={"pmm": org.members["marketing"].email})
    rows = session.execute(
        select(Task.role, Task.assignee_id).where(Task.launch_id == launch.id)
    ).all()
    by_role: dict[str | None, set[int | None]] = {}
    for role, assignee in rows:
        by_role.setdefault(role, set()).add(assignee)
    assert by_role["pmm"] == {org.members["marketing"].id}
    assert by_role["pm"] == {org.leads["product"].id}
    assert by_role["sales_lead"] == {org.leads["sales"].id}
    assert by_role["security_lead"] == {None}  # the security team has no lead yet


@pytest.mark.parametrize(
    ("overrides", "field", "fragment"),
    [
        ({"timezone": "Mars/Olympus"}, "timezone", "unknown time zone 'Mars/Olympus'"),
        ({"holidays": "XX"}, "holidays", "unknown holiday calendar 'XX'"),
        ({"parameters": {"colour": "red"}}, "parameters", "unknown parameter 'colour'"),
        ({"parameters": {"tier": "gold"}}, "parameters", "'gold' is not one of tier2, tier3"),
        ({"assignments": {"wizard": "pm@example.com"}}, "assign.wizard", "not a role"),
        ({"assignments": {"pm": "nobody@example.com"}}, "assign.pm", "no active person"),
        ({"name": "  "}, "name", "give the launch a name"),
    ],
)
def test_bad_input_is_reported_and_nothing_is_written(
    session: Session,
    make_launch: MakeLaunch,
    overrides: dict[str, object],
    field: str,
    fragment: str,
) -> None:
    with pytest.raises(InvalidInput) as raised:
        make_launch(**overrides)
    session.rollback()
    assert fragment in raised.value.problems[field]
    assert count(session, Launch) == count(session, Task) == count(session, TemplateVersion) == 0


def test_unknown_template_is_not_found(make_launch: MakeLaunch) -> None:
    with pytest.raises(NotFound, match="feature-release"):
        make_launch(template_key="no-such-template")


def test_launch_time_and_parameters_are_kept(session: Session, make_launch: MakeLaunch) -> None:
    launch = make_launch(
        template_key="major-launch",
        launch_time=time(15, 0),
        parameters={"paid_media": "no", "regions": "na,emea"},
    )
    assert launch.launch_time == time(15, 0)
    assert launch.parameters["paid_media"] is False
    assert launch.parameters["regions"] == ["na", "emea"]
    keys = set(session.scalars(select(Task.key).where(Task.launch_id == launch.id)))
    spec = spec_of(launch.template_version)
    paid = {
        t.key
        for t in spec.tasks
        if t.when and "paid_media" in t.when.text and "not" not in t.when.text
    }
    assert paid and not paid & keys


def test_old_launches_keep_their_template_version(
    session: Session, tmp_path: Path, org: Org
) -> None:
    library = tmp_path / "templates"
    shutil.copytree(Path(__file__).resolve().parents[2] / "templates", library)
    request = NewLaunch("feature-release", "One", date(2027, 3, 2))
    first = create_launch(session, library, request, actor=None, now=NOW)
    path = library / "feature-release.yaml"
    original = spec_of(first.template_version).tasks[0].title
    path.write_text(path.read_text().replace(original, "Retitled first task", 1))
    second = create_launch(session, library, request, actor=None, now=NOW)
    session.commit()
    assert first.template_version_id != second.template_version_id
    assert spec_of(first.template_version).tasks[0].title == original
    assert spec_of(second.template_version).tasks[0].title == "Retitled first task"
    again = create_launch(session, library, request, actor=None, now=NOW)
    assert again.template_version_id == second.template_version_id
