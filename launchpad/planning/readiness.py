"""How ready a launch is: per phase and team scores, risk flags and the go / no-go call."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from launchpad.planning.spec import PHASES
from launchpad.planning.workdays import WorkCalendar

SETTLED = frozenset({"done", "skipped"})
AT_RISK_WORKING_DAYS = 3


@dataclass(frozen=True, slots=True)
class TaskProgress:
    """What readiness needs of one task."""

    key: str
    title: str
    phase: str
    team: str
    status: str
    due_date: date
    depends_on: tuple[str, ...] = ()
    gate: bool = False


@dataclass(slots=True)
class Score:
    total: int = 0
    done: int = 0
    skipped: int = 0
    overdue: int = 0
    at_risk: int = 0

    @property
    def ratio(self) -> float:
        """done / (all - skipped); 1.0 when nothing is left to do."""
        counted = self.total - self.skipped
        return self.done / counted if counted else 1.0

    @property
    def percent(self) -> int:
        return round(self.ratio * 100)


@dataclass(slots=True)
class Readiness:
    overall: Score = field(default_factory=Score)
    by_phase: dict[str, Score] = field(default_factory=lambda: {p: Score() for p in PHASES})
    by_team: dict[str, Score] = field(default_factory=dict)
    overdue: list[str] = field(default_factory=list)
    at_risk: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class GoDecision:
    go: bool
    open_gates: tuple[str, ...]
    blocked: tuple[str, ...]
    missing_signoffs: tuple[str, ...]

    @property
    def reasons(self) -> list[str]:
        reasons = [f"gate not done: {key}" for key in self.open_gates]
        reasons += [f"blocked pre-launch task: {key}" for key in self.blocked]
        return reasons + [f"no sign-off from team {team}" for team in self.missing_signoffs]


def is_overdue(task: TaskProgress, today: date) -> bool:
    return task.status not in SETTLED and task.due_date < today


def is_at_risk(
    task: TaskProgress,
    today: date,
    calendar: WorkCalendar,
    by_key: dict[str, TaskProgress],
) -> bool:
    """Due within 3 working days and not started, or waiting on a late dependency."""
    if task.status in SETTLED or task.due_date < today:
        return False
    soon = calendar.working_days_between(today, task.due_date) <= AT_RISK_WORKING_DAYS
    if task.status == "todo" and soon:
        return True
    deps = (by_key[key] for key in task.depends_on if key in by_key)
    return any(
        dep.status not in SETTLED and (dep.due_date < today or dep.due_date > task.due_date)
        for dep in deps
    )


def readiness(tasks: Sequence[TaskProgress], today: date, calendar: WorkCalendar) -> Readiness:
    result = Readiness()
    by_key = {task.key: task for task in tasks}
    for task in tasks:
        overdue = is_overdue(task, today)
        risky = is_at_risk(task, today, calendar, by_key)
        team_score = result.by_team.setdefault(task.team, Score())
        for score in (result.overall, result.by_phase[task.phase], team_score):
            _count(score, task, overdue, risky)
        if overdue:
            result.overdue.append(task.key)
        if risky:
            result.at_risk.append(task.key)
    return result


def _count(score: Score, task: TaskProgress, overdue: bool, risky: bool) -> None:
    score.total += 1
    score.done += task.status == "done"
    score.skipped += task.status == "skipped"
    score.overdue += overdue
    score.at_risk += risky


def go_no_go(tasks: Sequence[TaskProgress], signed_off_teams: Iterable[str]) -> GoDecision:
    """Go when every gate is done, no pre-launch task is blocked and every team signed off."""
    signed = set(signed_off_teams)
    teams = sorted({task.team for task in tasks})
    open_gates = tuple(t.key for t in tasks if t.gate and t.status != "done")
    blocked = tuple(t.key for t in tasks if t.phase == "pre-launch" and t.status == "blocked")
    missing = tuple(team for team in teams if team not in signed)
    go = not (open_gates or blocked or missing)
    return GoDecision(go, open_gates, blocked, missing)
