"""Moving launch day: which open, unpinned tasks move and which dependencies break."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, time

from launchpad.planning.offsets import Offset, Roll, parse_duration, parse_offset
from launchpad.planning.semantics import is_due_after
from launchpad.planning.workdays import WorkCalendar

SETTLED = frozenset({"done", "skipped"})


@dataclass(frozen=True, slots=True)
class ScheduledTask:
    """A persisted task as rescheduling sees it."""

    key: str
    title: str
    status: str
    pinned: bool
    due_offset: str
    due_date: date
    due_time: time | None
    start_date: date | None
    depends_on: tuple[str, ...]
    start_offset: str | None = None
    duration: str | None = None
    roll: str | None = None


@dataclass(frozen=True, slots=True)
class Move:
    key: str
    title: str
    old_due: date
    new_due: date
    old_start: date | None
    new_start: date | None


@dataclass(frozen=True, slots=True)
class Violation:
    """`task` depends on `dependency`, which would be due after it."""

    task: str
    dependency: str
    task_due: date
    dependency_due: date


@dataclass(frozen=True, slots=True)
class ReschedulePlan:
    old_launch_day: date
    new_launch_day: date
    moves: tuple[Move, ...]
    kept_pinned: tuple[str, ...]
    kept_settled: tuple[str, ...]
    violations: tuple[Violation, ...]


def plan_reschedule(
    tasks: Sequence[ScheduledTask], old_day: date, new_day: date, calendar: WorkCalendar
) -> ReschedulePlan:
    """Re-derive every open, unpinned task from its offset for `new_day`."""
    moves: list[Move] = []
    new_dates = {task.key: (task.due_date, task.due_time) for task in tasks}
    for task in tasks:
        if task.status in SETTLED or task.pinned:
            continue
        due = _resolve(task.due_offset, task.roll, new_day, calendar)
        start = _start(task, due, new_day, calendar)
        new_dates[task.key] = (due, task.due_time)
        if due != task.due_date or start != task.start_date:
            moves.append(Move(task.key, task.title, task.due_date, due, task.start_date, start))
    before = _violations(tasks, {t.key: (t.due_date, t.due_time) for t in tasks})
    after = _violations(tasks, new_dates)
    return ReschedulePlan(
        old_launch_day=old_day,
        new_launch_day=new_day,
        moves=tuple(moves),
        kept_pinned=tuple(t.key for t in tasks if t.pinned and t.status not in SETTLED),
        kept_settled=tuple(t.key for t in tasks if t.status in SETTLED),
        violations=tuple(v for v in after if (v.task, v.dependency) not in _pairs(before)),
    )


def _resolve(text: str, roll: str | None, launch_day: date, calendar: WorkCalendar) -> date:
    offset: Offset = parse_offset(text)
    return offset.resolve(launch_day, calendar, Roll(roll) if roll else None)


def _start(task: ScheduledTask, due: date, launch_day: date, calendar: WorkCalendar) -> date | None:
    if task.start_offset:
        return min(_resolve(task.start_offset, None, launch_day, calendar), due)
    if task.duration:
        return parse_duration(task.duration).start_before(due, calendar)
    return None


def _violations(
    tasks: Sequence[ScheduledTask], dates: dict[str, tuple[date, time | None]]
) -> list[Violation]:
    open_keys = {task.key for task in tasks if task.status not in SETTLED}
    found = []
    for task in tasks:
        if task.key not in open_keys:
            continue
        for key in task.depends_on:
            if key in open_keys and is_due_after(*dates[key], *dates[task.key]):
                found.append(Violation(task.key, key, dates[task.key][0], dates[key][0]))
    return found


def _pairs(violations: list[Violation]) -> set[tuple[str, str]]:
    return {(v.task, v.dependency) for v in violations}
