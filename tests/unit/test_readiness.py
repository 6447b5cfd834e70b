"""Readiness per phase and team, overdue and at-risk flags, and the go / no-go call."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from launchpad.planning.readiness import (
    Score,
    TaskProgress,
    go_no_go,
    is_at_risk,
    is_overdue,
    readiness,
)
from launchpad.planning.workdays import WorkCalendar, work_calendar

PLAIN = WorkCalendar()
TODAY = date(2027, 3, 8)  # Monday


def progress(
    key: str,
    status: str = "todo",
    due: date = TODAY + timedelta(days=30),
    *,
    phase: str = "pre-launch",
    team: str = "product",
    depends_on: tuple[str, ...] = (),
    gate: bool = False,
) -> TaskProgress:
    return TaskProgress(key, key.title(), phase, team, status, due, depends_on, gate)


def at_risk(task: TaskProgress, *others: TaskProgress, today: date = TODAY) -> bool:
    by_key = {t.key: t for t in (task, *others)}
    return is_at_risk(task, today, PLAIN, by_key)


# --- scores ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("score", "ratio", "percent"),
    [
        (Score(total=4, done=2, skipped=1), 2 / 3, 67),
        (Score(total=4, done=4), 1.0, 100),
        (Score(total=3, done=0), 0.0, 0),
        (Score(total=2, skipped=2), 1.0, 100),  # nothing left to do
        (Score(), 1.0, 100),
        (Score(total=8, done=1), 0.125, 12),  # round half to even
    ],
)
def test_ratio_is_done_over_all_but_skipped(score: Score, ratio: float, percent: int) -> None:
    assert score.ratio == pytest.approx(ratio)
    assert score.percent == percent


# --- overdue --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "due", "overdue"),
    [
        ("todo", TODAY - timedelta(days=1), True),
        ("in_progress", TODAY - timedelta(days=10), True),
        ("blocked", TODAY - timedelta(days=1), True),
        ("todo", TODAY, False),  # due today is not late yet
        ("done", TODAY - timedelta(days=1), False),
        ("skipped", TODAY - timedelta(days=1), False),
    ],
)
def test_overdue_means_open_and_due_before_today(status: str, due: date, overdue: bool) -> None:
    assert is_overdue(progress("a", status, due), TODAY) is overdue


# --- at risk --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "due", "risky"),
    [
        ("todo", TODAY, True),
        ("todo", date(2027, 3, 11), True),  # Thursday: 3 working days away
        ("todo", date(2027, 3, 12), False),  # Friday: 4 working days away
        ("in_progress", date(2027, 3, 9), False),  # started
        ("done", date(2027, 3, 9), False),
        ("skipped", date(2027, 3, 9), False),
        ("todo", TODAY - timedelta(days=1), False),  # overdue, not at risk
    ],
)
def test_at_risk_when_due_within_three_working_days_and_not_started(
    status: str, due: date, risky: bool
) -> None:
    assert at_risk(progress("a", status, due)) is risky


def test_three_working_days_are_counted_across_a_weekend_and_holidays() -> None:
    thursday = date(2026, 11, 19)
    task = progress("a", due=date(2026, 11, 24))  # Fri, Mon, Tue
    assert is_at_risk(task, thursday, PLAIN, {"a": task})
    us = work_calendar("US", thursday)
    wednesday = date(2026, 11, 25)
    after_thanksgiving = progress("b", due=date(2026, 12, 1))  # Fri, Mon, Tue (Thu off)
    assert is_at_risk(after_thanksgiving, wednesday, us, {"b": after_thanksgiving})
    assert not is_at_risk(after_thanksgiving, wednesday, PLAIN, {"b": after_thanksgiving})


def test_at_risk_when_waiting_on_an_overdue_dependency() -> None:
    dependency = progress("dep", "in_progress", TODAY - timedelta(days=2))
    task = progress("a", "in_progress", TODAY + timedelta(days=20), depends_on=("dep",))
    assert at_risk(task, dependency)


def test_at_risk_when_a_dependency_is_due_after_the_task() -> None:
    dependency = progress("dep", "todo", TODAY + timedelta(days=25))
    task = progress("a", "in_progress", TODAY + timedelta(days=20), depends_on=("dep",))
    assert at_risk(task, dependency)


@pytest.mark.parametrize("status", ["done", "skipped"])
def test_a_settled_late_dependency_is_no_risk(status: str) -> None:
    dependency = progress("dep", status, TODAY - timedelta(days=2))
    task = progress("a", "in_progress", TODAY + timedelta(days=20), depends_on=("dep",))
    assert not at_risk(task, dependency)


def test_an_on_time_dependency_is_no_risk() -> None:
    dependency = progress("dep", "todo", TODAY + timedelta(days=10))
    task = progress("a", "in_progress", TODAY + timedelta(days=20), depends_on=("dep",))
    assert not at_risk(task, dependency)
    assert not at_risk(progress("b", "in_progress", depends_on=("unknown",)))


# --- readiness per phase and team -----------------------------------------------------


def test_readiness_counts_per_phase_and_team() -> None:
    tasks = [
        progress("brief", "done", TODAY - timedelta(days=5), team="product"),
        progress("deck", "todo", TODAY - timedelta(days=1), team="marketing"),  # overdue
        progress("faq", "todo", TODAY + timedelta(days=1), team="marketing"),  # at risk
        progress("legal", "skipped", TODAY - timedelta(days=3), team="legal"),
        progress("launch", "todo", TODAY + timedelta(days=14), phase="launch", team="product"),
        progress("review", "in_progress", TODAY + timedelta(days=30), phase="post-launch"),
    ]
    result = readiness(tasks, TODAY, PLAIN)
    assert result.overdue == ["deck"]
    assert result.at_risk == ["faq"]
    overall = result.overall
    assert (overall.total, overall.done, overall.skipped, overall.overdue, overall.at_risk) == (
        6,
        1,
        1,
        1,
        1,
    )
    assert overall.ratio == pytest.approx(1 / 5)
    pre = result.by_phase["pre-launch"]
    assert (pre.total, pre.done, pre.skipped, pre.overdue, pre.at_risk) == (4, 1, 1, 1, 1)
    assert pre.ratio == pytest.approx(1 / 3)
    assert result.by_phase["launch"].total == 1
    assert result.by_phase["post-launch"].ratio == 0.0
    assert list(result.by_team) == ["product", "marketing", "legal"]
    assert result.by_team["marketing"].ratio == 0.0
    assert (result.by_team["marketing"].overdue, result.by_team["marketing"].at_risk) == (1, 1)
    assert result.by_team["legal"].ratio == 1.0  # everything skipped
    assert result.by_team["product"].ratio == pytest.approx(1 / 3)


def test_readiness_of_no_tasks() -> None:
    result = readiness([], TODAY, PLAIN)
    assert result.overall.ratio == 1.0
    assert set(result.by_phase) == {"pre-launch", "launch", "post-launch"}
    assert result.by_team == {}


# --- go / no-go -----------------------------------------------------------------------


def ready_tasks() -> list[TaskProgress]:
    return [
        progress("qa", "done", team="engineering", gate=True),
        progress("deck", "in_progress", team="marketing"),
        progress("monitor", "todo", phase="launch", team="engineering"),
    ]


def test_go_when_gates_are_done_nothing_is_blocked_and_every_team_signed_off() -> None:
    decision = go_no_go(ready_tasks(), ["engineering", "marketing", "sales"])
    assert decision.go
    assert decision.reasons == []


@pytest.mark.parametrize("status", ["todo", "in_progress", "blocked", "skipped"])
def test_a_gate_that_is_not_done_means_no_go(status: str) -> None:
    tasks = [*ready_tasks(), progress("security", status, team="engineering", gate=True)]
    decision = go_no_go(tasks, ["engineering", "marketing"])
    assert not decision.go
    assert decision.open_gates == ("security",)
    assert "gate not done: security" in decision.reasons


def test_a_blocked_pre_launch_task_means_no_go() -> None:
    tasks = [*ready_tasks(), progress("pricing", "blocked", team="marketing")]
    decision = go_no_go(tasks, ["engineering", "marketing"])
    assert not decision.go
    assert decision.blocked == ("pricing",)
    assert decision.reasons == ["blocked pre-launch task: pricing"]


def test_a_blocked_post_launch_task_does_not_stop_the_launch() -> None:
    tasks = [*ready_tasks(), progress("review", "blocked", phase="post-launch", team="product")]
    assert go_no_go(tasks, ["engineering", "marketing", "product"]).go


def test_every_participating_team_must_sign_off() -> None:
    decision = go_no_go(ready_tasks(), ["marketing"])
    assert not decision.go
    assert decision.missing_signoffs == ("engineering",)
    assert decision.reasons == ["no sign-off from team engineering"]


def test_all_reasons_are_listed_together() -> None:
    tasks = [
        progress("qa", "todo", team="engineering", gate=True),
        progress("pricing", "blocked", team="sales"),
    ]
    decision = go_no_go(tasks, [])
    assert decision.reasons == [
        "gate not done: qa",
        "blocked pre-launch task: pricing",
        "no sign-off from team engineering",
        "no sign-off from team sales",
    ]
