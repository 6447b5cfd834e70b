"""Moving launch day: open, unpinned tasks move; settled and pinned ones stay."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from launchpad.planning.offsets import parse_offset
from launchpad.planning.reschedule import Move, ScheduledTask, Violation, plan_reschedule
from launchpad.planning.workdays import WorkCalendar, work_calendar

PLAIN = WorkCalendar()
OLD = date(2027, 3, 22)  # Monday
NEW = date(2027, 3, 29)  # a week later
EARLIER = date(2027, 3, 15)  # a week earlier


def scheduled(
    key: str,
    offset: str,
    status: str = "todo",
    *,
    pinned: bool = False,
    depends_on: tuple[str, ...] = (),
    launch_day: date = OLD,
    **extra: object,
) -> ScheduledTask:
    """A task as expansion would have dated it for `launch_day`."""
    due = parse_offset(offset).resolve(launch_day, PLAIN)
    return ScheduledTask(
        key=key,
        title=key.title(),
        status=status,
        pinned=pinned,
        due_offset=offset,
        due_date=due,
        due_time=parse_offset(offset).at,
        start_date=None,
        depends_on=depends_on,
        **extra,  # type: ignore[arg-type]
    )


def test_only_open_unpinned_tasks_move() -> None:
    tasks = [
        scheduled("todo", "-5bd"),
        scheduled("working", "-3bd", "in_progress"),
        scheduled("stuck", "-2bd", "blocked"),
        scheduled("done", "-10bd", "done"),
        scheduled("skipped", "-8bd", "skipped"),
        scheduled("pinned", "-1bd", pinned=True),
        scheduled("pinned-done", "-1bd", "done", pinned=True),
    ]
    plan = plan_reschedule(tasks, OLD, NEW, PLAIN)
    assert [m.key for m in plan.moves] == ["todo", "working", "stuck"]
    assert plan.kept_settled == ("done", "skipped", "pinned-done")
    assert plan.kept_pinned == ("pinned",)
    assert (plan.old_launch_day, plan.new_launch_day) == (OLD, NEW)


def test_moves_list_old_and_new_dates() -> None:
    plan = plan_reschedule([scheduled("a", "-5bd")], OLD, NEW, PLAIN)
    assert plan.moves == (Move("a", "A", date(2027, 3, 15), date(2027, 3, 22), None, None),)


def test_moved_dates_are_re_derived_from_offsets_with_rolls_and_holidays() -> None:
    us = work_calendar("US", date(2026, 11, 1))
    tasks = [
        scheduled("bd", "-1bd"),
        scheduled("cd", "+1d"),
        scheduled("fixed-day", "-1d", roll="none"),
        scheduled("timed", "0d 10:00"),
    ]
    # New launch day Fri 2026-11-27, the day after Thanksgiving.
    plan = plan_reschedule(tasks, OLD, date(2026, 11, 27), us)
    new_dues = {m.key: m.new_due for m in plan.moves}
    assert new_dues == {
        "bd": date(2026, 11, 25),  # skips Thanksgiving
        "cd": date(2026, 11, 30),  # Saturday rolls later
        "fixed-day": date(2026, 11, 26),  # roll: none keeps the holiday
        "timed": date(2026, 11, 27),
    }


def test_start_dates_move_with_start_offsets_and_durations() -> None:
    tasks = [
        scheduled("with-start", "-2bd", start_offset="-10bd"),
        scheduled("with-duration", "-2bd", duration="3bd"),
    ]
    tasks = [replace(t, start_date=date(2027, 3, 1)) for t in tasks]
    plan = plan_reschedule(tasks, OLD, NEW, PLAIN)
    starts = {m.key: (m.old_start, m.new_start) for m in plan.moves}
    assert starts == {
        "with-start": (date(2027, 3, 1), date(2027, 3, 15)),
        "with-duration": (date(2027, 3, 1), date(2027, 3, 22)),
    }


def test_nothing_moves_for_the_same_date() -> None:
    tasks = [
        scheduled("a", "-5bd"),
        scheduled("b", "-1d", depends_on=("a",)),
        scheduled("c", "+2w 09:00"),
    ]
    plan = plan_reschedule(tasks, OLD, OLD, PLAIN)
    assert plan.moves == ()
    assert plan.violations == ()


def test_pinned_dependency_due_after_its_moved_dependent_is_a_violation() -> None:
    tasks = [
        scheduled("contract", "-3bd", pinned=True),  # stays on Wed 2027-03-17
        scheduled("announce", "-1bd", depends_on=("contract",)),  # moves to Fri 2027-03-12
    ]
    plan = plan_reschedule(tasks, OLD, EARLIER, PLAIN)
    assert plan.violations == (
        Violation("announce", "contract", date(2027, 3, 12), date(2027, 3, 17)),
    )


def test_moved_dependency_due_after_a_pinned_dependent_is_a_violation() -> None:
    tasks = [
        scheduled("assets", "-5bd"),  # moves to Mon 2027-03-22
        scheduled("press", "-3bd", pinned=True, depends_on=("assets",)),  # stays on 03-17
    ]
    plan = plan_reschedule(tasks, OLD, NEW, PLAIN)
    assert [(v.task, v.dependency) for v in plan.violations] == [("press", "assets")]


def test_a_settled_dependency_is_never_a_violation() -> None:
    tasks = [
        scheduled("contract", "-3bd", "done", pinned=True),
        scheduled("announce", "-1bd", depends_on=("contract",)),
    ]
    assert plan_reschedule(tasks, OLD, EARLIER, PLAIN).violations == ()


def test_violations_that_existed_before_the_move_are_not_listed() -> None:
    late = scheduled("late", "-1bd", pinned=True)
    tasks = [late, scheduled("early", "-5bd", pinned=True, depends_on=("late",))]
    assert plan_reschedule(tasks, OLD, NEW, PLAIN).violations == ()


@pytest.mark.parametrize(("at", "violated"), [("10:00", False), ("08:00", True)])
def test_same_day_times_count_for_violations(at: str, violated: bool) -> None:
    tasks = [
        scheduled("brief", "0d 09:00", pinned=True, launch_day=EARLIER),  # stays Mon 03-15 09:00
        scheduled("announce", f"0d {at}", depends_on=("brief",)),  # Mon 03-22 -> Mon 03-15
    ]
    plan = plan_reschedule(tasks, OLD, EARLIER, PLAIN)
    assert [m.new_due for m in plan.moves] == [EARLIER]
    assert bool(plan.violations) is violated


@pytest.mark.parametrize("status", ["todo", "in_progress", "blocked"])
def test_every_open_status_moves(status: str) -> None:
    plan = plan_reschedule([scheduled("a", "-5bd", status)], OLD, NEW, PLAIN)
    assert [m.key for m in plan.moves] == ["a"]
