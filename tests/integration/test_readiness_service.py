"""Readiness, go / no-go and sign-offs over a persisted launch."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from launchpad.models import Task
from launchpad.services.errors import Forbidden
from launchpad.services.launch_overview import launch_overview
from launchpad.services.launch_status import sign_off
from launchpad.services.people import add_to_team, ensure_team
from launchpad.services.task_changes import set_status

from .conftest import NOW, MakeLaunch, Org


def test_go_needs_gates_and_every_team_lead(
    session: Session, make_launch: MakeLaunch, org: Org
) -> None:
    launch = make_launch()
    first = launch_overview(session, launch.id, NOW.date())
    assert not first.decision.go
    assert first.readiness.overall.done == 0
    assert first.readiness.overall.total == len(first.progress)
    assert first.critical.path, "a plan with dependencies has a critical path"
    for task in session.scalars(select(Task).where(Task.launch_id == launch.id, Task.gate)):
        set_status(session, task.id, "done", actor=org.pm, now=NOW)
    teams = sorted({p.team for p in first.progress})
    for key in teams:
        lead = org.leads.get(key)
        if lead is None:
            lead = org.members["product"]
            add_to_team(session, lead, ensure_team(session, key, NOW), lead=True)
        sign_off(session, launch.id, key, actor=lead, now=NOW)
    session.commit()
    final = launch_overview(session, launch.id, NOW.date())
    assert final.decision.go, final.decision.reasons
    gates = sum(1 for p in final.progress if p.gate)
    assert final.readiness.overall.done == gates


def test_only_the_team_lead_signs_off(session: Session, make_launch: MakeLaunch, org: Org) -> None:
    launch = make_launch()
    with pytest.raises(Forbidden):
        sign_off(session, launch.id, "sales", actor=org.members["sales"], now=NOW)


def test_overdue_work_is_counted_per_team(session: Session, make_launch: MakeLaunch) -> None:
    launch = make_launch()
    overview = launch_overview(session, launch.id, launch.launch_date)
    pre_launch = [
        p for p in overview.progress if p.phase == "pre-launch" and p.due_date < launch.launch_date
    ]
    assert set(overview.readiness.overdue) >= {p.key for p in pre_launch}
    assert sum(s.overdue for s in overview.readiness.by_team.values()) == len(
        overview.readiness.overdue
    )
