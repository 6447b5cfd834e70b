"""The typed launch template: what a YAML file means once it has been checked."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import time

from launchpad.planning.conditions import Condition, ParamValue
from launchpad.planning.offsets import Duration, Offset, Roll

PHASES = ("pre-launch", "launch", "post-launch")
PARAMETER_TYPES = ("choice", "bool", "list", "text")
COMPARATORS = (">=", "<=", "==", "!=", ">", "<")


@dataclass(frozen=True, slots=True)
class Location:
    """Where something was written, so errors and previews can point at it."""

    file: str
    line: int | None = None

    def __str__(self) -> str:
        return f"{self.file}:{self.line}" if self.line else self.file


@dataclass(frozen=True, slots=True)
class ParameterSpec:
    name: str
    type: str
    default: ParamValue
    label: str = ""
    choices: tuple[str, ...] = ()
    location: Location | None = None


@dataclass(frozen=True, slots=True)
class TaskSpec:
    key: str
    title: str
    phase: str
    owner: str
    due: Offset
    location: Location
    description: str = ""
    start: Offset | None = None
    duration: Duration | None = None
    depends_on: tuple[str, ...] = ()
    gate: bool = False
    milestone: bool = False
    when: Condition | None = None
    roll: Roll | None = None


@dataclass(frozen=True, slots=True)
class KpiSpec:
    key: str
    metric: str
    comparator: str
    threshold: float
    check: str
    location: Location
    name: str = ""
    at: Offset | None = None
    every: Duration | None = None
    start: Offset | None = None
    until: Offset | None = None
    owner: str | None = None
    unit: str = ""
    when: Condition | None = None

    @property
    def default_time(self) -> time:
        return time(9, 0)


@dataclass(frozen=True, slots=True)
class CalendarSpec:
    workdays: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri")
    holidays: str | None = None
    location: Location | None = None


@dataclass(frozen=True, slots=True)
class TemplateSpec:
    """A launch template with its fragments merged in."""

    key: str
    name: str
    version: int
    description: str
    location: Location
    parameters: dict[str, ParameterSpec] = field(default_factory=dict)
    roles: dict[str, str] = field(default_factory=dict)
    teams: tuple[str, ...] = ()
    calendar: CalendarSpec = field(default_factory=CalendarSpec)
    tasks: tuple[TaskSpec, ...] = ()
    kpis: tuple[KpiSpec, ...] = ()

    def all_teams(self) -> list[str]:
        """Teams in order of first mention: declared teams, then role teams."""
        return list(dict.fromkeys([*self.teams, *self.roles.values()]))

    def team_of(self, owner: str) -> str:
        return self.roles.get(owner, owner)

    def default_parameters(self) -> dict[str, ParamValue]:
        return {
            name: list(spec.default) if isinstance(spec.default, list) else spec.default
            for name, spec in self.parameters.items()
        }
