"""Rescheduling, pinning, status changes, role re-mapping and optimistic locking."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from launchpad.models import AuditEvent, Launch, Task, TaskDependency
from launchpad.services.errors import InvalidInput, StaleEdit
from launchpad.services.launch_status import set_launch_status
from launchpad.services.rescheduling import reschedule_launch
from launchpad.services.roles import remap_role
from launchpad.services.task_changes import pin_due_date, set_status, unpin_due_date

from .conftest import NOW, MakeLaunch, Org


def tasks_by_key(session: Session, launch: Launch) -> dict[str, Task]:
    session.expire_all()
    return {t.key: t for t in session.scalars(select(Task).where(Task.launch_id == launch.id))}


def test_dry_run_previews_without_writing(session: Session, make_launch: MakeLaunch) -> None:
    launch = make_launch()
    before = {k: t.due_date for k, t in tasks_by_key(session, launch).items()}
    plan = reschedule_launch(
        session, launch.id, date(2027, 3, 16), expected_version=1, actor=None, now=NOW, apply=False
    )
    session.commit()
    assert len(plan.moves) == len(before)
    assert all(m.new_due > m.old_due for m in plan.moves)
    assert {k: t.due_date for k, t in tasks_by_key(session, launch).items()} == before
    assert session.get_one(Launch, launch.id).launch_date == date(2027, 3, 2)


def test_reschedule_moves_open_unpinned_tasks_only(
    session: Session, make_launch: MakeLaunch, org: Org
) -> None:
    launch = make_launch()
    tasks = tasks_by_key(session, launch)
    done, pinned, *_ = list(tasks)
    set_status(session, tasks[done].id, "done", actor=org.pm, now=NOW)
    pinned_day = tasks[pinned].due_date - timedelta(days=1)
    pin_due_date(session, tasks[pinned].id, pinned_day, actor=org.pm, now=NOW)
    session.commit()
    old = {k: (t.due_date, t.sequence) for k, t in tasks_by_key(session, launch).items()}
    plan = reschedule_launch(
        session,
        launch.id,
        date(2027, 3, 9),
        expected_version=None,
        actor=org.pm,
        now=NOW,
        apply=True,
    )
    session.commit()
    after = tasks_by_key(session, launch)
    assert done in plan.kept_settled and pinned in plan.kept_pinned
    assert after[done].due_date == old[done][0]
    assert after[pinned].due_date == pinned_day
    moved = {m.key for m in plan.moves}
    assert moved == set(after) - {done, pinned}
    for key in moved:
        assert after[key].due_date > old[key][0]
        assert after[key].sequence == old[key][1] + 1
    refreshed = session.get_one(Launch, launch.id)
    assert refreshed.launch_date == date(2027, 3, 9)
    actions = list(session.scalars(select(AuditEvent.action)))
    assert actions.count("task.rescheduled") == len(moved)
    assert "launch.rescheduled" in actions


def test_unpin_returns_the_task_to_its_offset(
    session: Session, make_launch: MakeLaunch, org: Org
) -> None:
    launch = make_launch()
    task = next(iter(tasks_by_key(session, launch).values()))
    derived = task.due_date
    pin_due_date(session, task.id, derived - timedelta(days=3), actor=org.pm, now=NOW)
    reschedule_launch(
        session,
        launch.id,
        date(2027, 3, 23),
        expected_version=None,
        actor=None,
        now=NOW,
        apply=True,
    )
    session.commit()
    change = unpin_due_date(session, task.id, actor=org.pm, now=NOW)
    assert change.task.due_date > derived and not change.task.pinned


def test_finishing_before_a_dependency_is_allowed_but_flagged(
    session: Session, make_launch: MakeLaunch, org: Org
) -> None:
    launch = make_launch()
    task_id, dependency_title = session.execute(
        select(TaskDependency.task_id, Task.title)
        .join(Task, Task.id == TaskDependency.depends_on_id)
        .where(Task.launch_id == launch.id)
        .limit(1)
    ).one()
    change = set_status(session, task_id, "done", actor=org.pm, now=NOW)
    assert change.task.status == "done" and change.task.completed_at == NOW
    assert any(dependency_title in warning for warning in change.warnings)
    with pytest.raises(InvalidInput, match="'finished' is not one of"):
        set_status(session, task_id, "finished", actor=org.pm, now=NOW)


def test_stale_version_is_refused_with_what_changed(
    session: Session, make_launch: MakeLaunch, org: Org
) -> None:
    launch = make_launch()
    reschedule_launch(
        session, launch.id, date(2027, 3, 9), expected_version=1, actor=org.pm, now=NOW, apply=True
    )
    session.commit()
    with pytest.raises(StaleEdit) as raised:
        reschedule_launch(
            session,
            launch.id,
            date(2027, 4, 6),
            expected_version=1,
            actor=org.pm,
            now=NOW,
            apply=True,
        )
    assert raised.value.current_version == 2
    assert [c["action"] for c in raised.value.changes] == ["launch.rescheduled"] + [
        "task.rescheduled"
    ] * (len(raised.value.changes) - 1)
    assert session.get_one(Launch, launch.id).launch_date == date(2027, 3, 9)


def test_concurrent_writers_one_wins_the_other_gets_409(
    session: Session, make_launch: MakeLaunch, org: Org
) -> None:
    launch = make_launch()
    factory = sessionmaker(bind=session.get_bind(), expire_on_commit=False)
    first, second = factory(), factory()
    try:
        # Keep both loaded objects alive: the identity map holds them only weakly.
        seen_by_first = first.get_one(Launch, launch.id)
        seen_by_second = second.get_one(Launch, launch.id)
        assert seen_by_first.version == seen_by_second.version == 1
        set_launch_status(first, launch.id, "launched", expected_version=None, actor=None, now=NOW)
        first.commit()
        with pytest.raises(StaleEdit):
            set_launch_status(
                second, launch.id, "cancelled", expected_version=None, actor=None, now=NOW
            )
    finally:
        first.close()
        second.close()
    session.expire_all()
    assert session.get_one(Launch, launch.id).status == "launched"


def test_remap_role_reassigns_open_tasks_only(
    session: Session, make_launch: MakeLaunch, org: Org
) -> None:
    launch = make_launch()
    pmm_tasks = [t for t in tasks_by_key(session, launch).values() if t.role == "pmm"]
    assert len(pmm_tasks) >= 2
    set_status(session, pmm_tasks[0].id, "done", actor=org.pm, now=NOW)
    session.commit()
    newcomer = org.members["marketing"]
    moved = remap_role(
        session, launch.id, "pmm", newcomer, expected_version=None, actor=org.pm, now=NOW
    )
    session.commit()
    after = tasks_by_key(session, launch)
    assert moved == len(pmm_tasks) - 1
    assert after[pmm_tasks[0].key].assignee_id == org.leads["marketing"].id
    assert all(after[t.key].assignee_id == newcomer.id for t in pmm_tasks[1:])
    event = session.scalars(
        select(AuditEvent).where(AuditEvent.action == "launch.role_remapped")
    ).one()
    assert event.after is not None and event.after["tasks_reassigned"] == moved
    with pytest.raises(InvalidInput, match="not a role of this launch"):
        remap_role(session, launch.id, "wizard", None, expected_version=None, actor=None, now=NOW)


def test_closed_launch_cannot_change(session: Session, make_launch: MakeLaunch) -> None:
    launch = make_launch()
    set_launch_status(session, launch.id, "cancelled", expected_version=1, actor=None, now=NOW)
    session.commit()
    with pytest.raises(InvalidInput, match="cancelled"):
        reschedule_launch(
            session,
            launch.id,
            date(2027, 4, 6),
            expected_version=None,
            actor=None,
            now=NOW,
            apply=True,
        )
