"""Checks on the meaning of a template: references, cycles, dates and parameters."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, time, timedelta

from launchpad.planning.conditions import Compare, Condition, Literal, Name
from launchpad.planning.errors import TemplateError
from launchpad.planning.graph import find_cycle
from launchpad.planning.kpi_rules import schedule_problems
from launchpad.planning.spec import (
    KpiSpec,
    Location,
    ParameterSpec,
    TaskSpec,
    TemplateSpec,
)
from launchpad.planning.workdays import CalendarError, WorkCalendar, check_holiday_code
from launchpad.planning.workdays import parse_workdays as parse_workday_names

# A plain Monday-to-Friday week; dependency order must hold for a launch on any of its days.
_REFERENCE_LAUNCH_DAYS = [date(2030, 1, 7) + timedelta(days=n) for n in range(7)]


def check_semantics(spec: TemplateSpec, expected_key: str | None) -> list[TemplateError]:
    """Every semantic error in `spec` (shape was checked before)."""
    errors: list[TemplateError] = []
    if expected_key is not None and spec.key != expected_key:
        hint = f"set `key: {expected_key}` or rename the file to {spec.key}.yaml"
        errors.append(_error(spec.location, f"key `{spec.key}` differs from the file name", hint))
    errors += _calendar(spec)
    errors += [e for p in spec.parameters.values() for e in _parameter(p)]
    errors += _duplicates(spec)
    errors += [e for task in spec.tasks for e in _task(spec, task)]
    errors += [e for kpi in spec.kpis for e in _kpi(spec, kpi)]
    errors += _cycle(spec)
    errors += _dependency_order(spec)
    return errors


def _error(location: Location, message: str, hint: str) -> TemplateError:
    return TemplateError(location.file, location.line, message, hint)


def _calendar(spec: TemplateSpec) -> list[TemplateError]:
    errors = []
    location = spec.calendar.location or spec.location
    try:
        parse_workday_names(spec.calendar.workdays)
    except CalendarError as error:
        errors.append(_error(location, f"calendar.workdays: {error}", "e.g. [mon, tue, wed]"))
    if spec.calendar.holidays:
        try:
            check_holiday_code(spec.calendar.holidays)
        except CalendarError as error:
            errors.append(_error(location, f"calendar.holidays: {error}", "e.g. US or DE-BY"))
    return errors


def _parameter(param: ParameterSpec) -> Iterator[TemplateError]:
    where = f"parameter `{param.name}`"
    location = param.location or Location("template")
    default = param.default
    if param.type == "choice" and not param.choices:
        yield _error(location, f"{where} has no choices", "add `choices: [a, b]`")
    expected = {"choice": str, "text": str, "bool": bool, "list": list}[param.type]
    if not isinstance(default, expected):
        hint = {"bool": "true or false", "list": "a list like [na, emea]"}.get(param.type, "text")
        yield _error(location, f"{where}: default {default!r} is not a {param.type}", hint)
        return
    values = default if isinstance(default, list) else [default]
    if param.choices and param.type in ("choice", "list"):
        wrong = [v for v in values if v not in param.choices]
        if wrong:
            hint = f"pick from {', '.join(param.choices)}"
            yield _error(location, f"{where}: default {wrong[0]!r} is not a choice", hint)


def _duplicates(spec: TemplateSpec) -> Iterator[TemplateError]:
    for kind, items in (("task", spec.tasks), ("KPI", spec.kpis)):
        first: dict[str, Location] = {}
        for item in items:
            if item.key in first:
                hint = f"first defined at {first[item.key]}; keys must be unique"
                yield _error(item.location, f"duplicate {kind} key `{item.key}`", hint)
            first.setdefault(item.key, item.location)


def _owner(
    spec: TemplateSpec, owner: str | None, location: Location, where: str
) -> Iterator[TemplateError]:
    if owner is not None and owner not in spec.roles and owner not in spec.all_teams():
        known = ", ".join([*spec.roles, *spec.all_teams()])
        hint = f"declare it under `roles:` or `teams:`, or use one of: {known}"
        yield _error(location, f"{where}: unknown owner `{owner}`", hint)


def _task(spec: TemplateSpec, task: TaskSpec) -> Iterator[TemplateError]:
    where = f"task `{task.key}`"
    yield from _owner(spec, task.owner, task.location, where)
    yield from _condition(spec, task.when, task.location)
    keys = {t.key for t in spec.tasks}
    for dependency in task.depends_on:
        if dependency == task.key:
            yield _error(task.location, f"{where} depends on itself", "remove it from depends_on")
        elif dependency not in keys:
            hint = "use the key of a task in this template or its fragments"
            yield _error(task.location, f"{where} depends on unknown task `{dependency}`", hint)
    yield from _task_dates(task, where)


def _task_dates(task: TaskSpec, where: str) -> Iterator[TemplateError]:
    due = task.due.amount
    if task.phase == "pre-launch" and due > 0:
        hint = "move it to post-launch or use an offset of 0d or less"
        yield _error(task.location, f"{where} is pre-launch but due after launch day", hint)
    if task.phase == "post-launch" and due < 0:
        hint = "move it to pre-launch or use an offset of 0d or more"
        yield _error(task.location, f"{where} is post-launch but due before launch day", hint)
    if task.start is not None and task.duration is not None:
        yield _error(task.location, f"{where} has both start and duration", "keep one of them")
    if task.milestone and (task.start is not None or task.duration is not None):
        yield _error(task.location, f"milestone `{task.key}` has a length", "drop start/duration")
    if task.duration is not None and task.duration.unit == "h":
        yield _error(task.location, f"{where}: duration in hours", "use d, w or bd")
    if task.start is not None and task.start.approx_days > task.due.approx_days:
        yield _error(task.location, f"{where} starts after it is due", "start earlier than due")


def _condition(
    spec: TemplateSpec, condition: Condition | None, location: Location
) -> Iterator[TemplateError]:
    if condition is None:
        return
    for name in dict.fromkeys(name.name for name in condition.names()):
        if name not in spec.parameters:
            known = ", ".join(spec.parameters) or "none declared"
            hint = f"declare it under `parameters:` (known: {known})"
            message = f"condition '{condition.text}' names unknown parameter `{name}`"
            yield _error(location, message, hint)
    yield from _choice_literals(spec, condition, location)


def _choice_literals(
    spec: TemplateSpec, condition: Condition, location: Location
) -> Iterator[TemplateError]:
    """`tier == "tire1"` is a typo that would silently be false: catch it."""
    for node in _compares(condition.tree):
        if not (isinstance(node.left, Name | Literal) and isinstance(node.right, Name | Literal)):
            continue
        pairs = [(node.left, node.right), (node.right, node.left)]
        for named, literal in pairs:
            if not isinstance(named, Name) or not isinstance(literal, Literal):
                continue
            param = spec.parameters.get(named.name)
            values = literal.value if isinstance(literal.value, tuple) else (literal.value,)
            if param and param.choices and param.type in ("choice", "list"):
                for value in values:
                    if value not in param.choices and not isinstance(value, bool):
                        hint = f"`{param.name}` takes {', '.join(param.choices)}"
                        message = f"condition '{condition.text}': {value!r} is not a choice"
                        yield _error(location, message, hint)


def _compares(node: object) -> Iterator[Compare]:
    if isinstance(node, Compare):
        yield node
    for child in getattr(node, "operands", ()) or ():
        yield from _compares(child)
    operand = getattr(node, "operand", None)
    if operand is not None:
        yield from _compares(operand)


def _kpi(spec: TemplateSpec, kpi: KpiSpec) -> Iterator[TemplateError]:
    where = f"KPI `{kpi.key}`"
    yield from _owner(spec, kpi.owner, kpi.location, where)
    yield from _condition(spec, kpi.when, kpi.location)
    for _, message, hint in schedule_problems(kpi.at, kpi.every, kpi.start, kpi.until):
        separator = " " if message.startswith("has ") else ": "
        yield _error(kpi.location, f"{where}{separator}{message}", hint)


def _cycle(spec: TemplateSpec) -> list[TemplateError]:
    # Self-dependencies are reported on their own; leave them out of the cycle search.
    edges = {t.key: tuple(k for k in t.depends_on if k != t.key) for t in spec.tasks}
    cycle = find_cycle(edges)
    if cycle is None:
        return []
    first = next(task for task in spec.tasks if task.key == cycle[0])
    hint = "remove one of these dependencies"
    return [_error(first.location, f"dependency cycle: {' -> '.join(cycle)}", hint)]


def _dependency_order(spec: TemplateSpec) -> list[TemplateError]:
    """A dependency due after its dependent, for a launch on any day of a plain week."""
    tasks = {task.key: task for task in spec.tasks}
    calendar = WorkCalendar()
    errors = []
    for task in spec.tasks:
        for key in task.depends_on:
            dependency = tasks.get(key)
            if dependency is None or dependency is task:
                continue
            late_on = _first_late_launch_day(dependency, task, calendar)
            if late_on is not None:
                message = (
                    f"task `{task.key}` (due {task.due}) depends on `{key}` (due "
                    f"{dependency.due}), which is due after it for a launch on a {late_on:%A}"
                )
                hint = f"make `{key}` due earlier or `{task.key}` later"
                errors.append(_error(task.location, message, hint))
    return errors


def _first_late_launch_day(
    dependency: TaskSpec, task: TaskSpec, calendar: WorkCalendar
) -> date | None:
    for launch_day in _REFERENCE_LAUNCH_DAYS:
        before = dependency.due.resolve(launch_day, calendar, dependency.roll)
        after = task.due.resolve(launch_day, calendar, task.roll)
        if is_due_after(before, dependency.due.at, after, task.due.at):
            return launch_day
    return None


def is_due_after(day: date, at: time | None, other_day: date, other_at: time | None) -> bool:
    """Whether (day, at) falls after (other_day, other_at); times count only when both have one."""
    if day != other_day:
        return day > other_day
    return at is not None and other_at is not None and at > other_at
