"""Turn a launch template and a launch day into a full plan, without touching a database."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time

from launchpad.planning.conditions import ParamValue
from launchpad.planning.offsets import Duration, Offset, Roll
from launchpad.planning.parameters import resolve_parameters
from launchpad.planning.semantics import is_due_after
from launchpad.planning.spec import KpiSpec, TaskSpec, TemplateSpec
from launchpad.planning.timezones import local_to_utc, zone
from launchpad.planning.workdays import WorkCalendar, parse_workdays, work_calendar


@dataclass(frozen=True, slots=True)
class LaunchSettings:
    """What a PM chooses when creating a launch (everything but people)."""

    launch_day: date
    timezone: str = "UTC"
    launch_time: time | None = None
    holidays: str | None = None
    parameters: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class PlannedTask:
    key: str
    title: str
    description: str
    phase: str
    team: str
    role: str | None
    due_offset: str
    due_date: date
    due_time: time | None
    start_date: date | None
    depends_on: tuple[str, ...]
    gate: bool
    milestone: bool
    position: int
    start_offset: str | None = None
    duration: str | None = None
    roll: str | None = None


@dataclass(frozen=True, slots=True)
class PlannedKpi:
    key: str
    name: str
    metric: str
    comparator: str
    threshold: float
    role: str | None
    team: str | None
    unit: str
    at: str | None
    every: str | None
    start: str | None
    until: str | None


@dataclass(frozen=True, slots=True)
class Plan:
    """The expanded launch: tasks in template order, KPI targets and warnings."""

    settings: LaunchSettings
    parameters: dict[str, ParamValue]
    holidays: str | None
    calendar: WorkCalendar
    tasks: tuple[PlannedTask, ...]
    kpis: tuple[PlannedKpi, ...]
    warnings: tuple[str, ...]

    def due_at_utc(self, task: PlannedTask) -> datetime | None:
        if task.due_time is None:
            return None
        return local_to_utc(task.due_date, task.due_time, self.settings.timezone)


def calendar_for(spec: TemplateSpec, settings: LaunchSettings) -> WorkCalendar:
    """Workdays from the template; holidays from the launch, else the template's."""
    holidays = settings.holidays if settings.holidays is not None else spec.calendar.holidays
    return work_calendar(holidays, settings.launch_day, parse_workdays(spec.calendar.workdays))


def expand(spec: TemplateSpec, settings: LaunchSettings) -> Plan:
    """The plan for `settings`; raises ParameterError, TimeZoneError or CalendarError."""
    zone(settings.timezone)
    parameters = resolve_parameters(spec, settings.parameters)
    calendar = calendar_for(spec, settings)
    included = [t for t in spec.tasks if t.when is None or t.when.evaluate(parameters)]
    keys = {task.key for task in included}
    resolver = _Resolver(settings.launch_day, calendar)
    tasks = tuple(
        _plan_task(spec, task, keys, resolver, position) for position, task in enumerate(included)
    )
    kpis = tuple(
        _plan_kpi(spec, kpi)
        for kpi in spec.kpis
        if kpi.when is None or kpi.when.evaluate(parameters)
    )
    holidays = settings.holidays if settings.holidays is not None else spec.calendar.holidays
    warnings = _warnings(settings.launch_day, calendar, tasks)
    return Plan(settings, parameters, holidays, calendar, tasks, kpis, warnings)


class _Resolver:
    """Memoised offset arithmetic: many tasks share an offset."""

    def __init__(self, launch_day: date, calendar: WorkCalendar) -> None:
        self.launch_day = launch_day
        self.calendar = calendar
        self.dates: dict[tuple[Offset, Roll | None], date] = {}

    def due(self, offset: Offset, roll: Roll | None) -> date:
        cache_key = (offset, roll)
        day = self.dates.get(cache_key)
        if day is None:
            day = offset.resolve(self.launch_day, self.calendar, roll)
            self.dates[cache_key] = day
        return day

    def start(self, task: TaskSpec, due: date) -> date | None:
        if task.start is not None:
            return min(self.due(task.start, None), due)
        if task.duration is not None:
            return _start_before(task.duration, due, self.calendar)
        return None


def _start_before(duration: Duration, due: date, calendar: WorkCalendar) -> date:
    return duration.start_before(due, calendar)


def _plan_task(
    spec: TemplateSpec,
    task: TaskSpec,
    keys: set[str],
    resolver: _Resolver,
    position: int,
) -> PlannedTask:
    due = resolver.due(task.due, task.roll)
    is_role = task.owner in spec.roles
    return PlannedTask(
        key=task.key,
        title=task.title,
        description=task.description,
        phase=task.phase,
        team=spec.team_of(task.owner),
        role=task.owner if is_role else None,
        due_offset=str(task.due),
        due_date=due,
        due_time=task.due.at,
        start_date=resolver.start(task, due),
        depends_on=tuple(key for key in task.depends_on if key in keys),
        gate=task.gate,
        milestone=task.milestone,
        position=position,
        start_offset=str(task.start) if task.start else None,
        duration=str(task.duration) if task.duration else None,
        roll=task.roll.value if task.roll else None,
    )


def _plan_kpi(spec: TemplateSpec, kpi: KpiSpec) -> PlannedKpi:
    is_role = kpi.owner is not None and kpi.owner in spec.roles
    return PlannedKpi(
        key=kpi.key,
        name=kpi.name or kpi.check,
        metric=kpi.metric,
        comparator=kpi.comparator,
        threshold=kpi.threshold,
        role=kpi.owner if is_role else None,
        team=spec.team_of(kpi.owner) if kpi.owner else None,
        unit=kpi.unit,
        at=_text(kpi.at),
        every=_text(kpi.every),
        start=_text(kpi.start),
        until=_text(kpi.until),
    )


def _text(value: Offset | Duration | None) -> str | None:
    return None if value is None else str(value)


def _warnings(
    launch_day: date, calendar: WorkCalendar, tasks: tuple[PlannedTask, ...]
) -> tuple[str, ...]:
    warnings = []
    if not calendar.is_working(launch_day):
        reason = calendar.holiday_name(launch_day) or f"a {launch_day:%A}"
        warnings.append(f"launch day {launch_day:%a %Y-%m-%d} is not a working day ({reason})")
    by_key = {task.key: task for task in tasks}
    for task in tasks:
        for key in task.depends_on:
            dep = by_key[key]
            if is_due_after(dep.due_date, dep.due_time, task.due_date, task.due_time):
                warnings.append(
                    f"'{task.title}' ({task.due_date}) depends on '{dep.title}', "
                    f"which is due later ({dep.due_date}) with these holidays"
                )
    return tuple(warnings)
