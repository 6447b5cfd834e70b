"""Dependency graph: cycles, topological order, slack and the critical path."""

from __future__ import annotations

from datetime import date

import pytest

from launchpad.planning.graph import (
    ScheduledItem,
    critical_path,
    find_cycle,
    topological_order,
)
from launchpad.planning.workdays import WorkCalendar

PLAIN = WorkCalendar()

# --- find_cycle -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "edges",
    [
        {},
        {"a": []},
        {"a": ["b"], "b": ["c"], "c": []},
        {"a": ["b", "c"], "b": ["d"], "c": ["d"], "d": []},  # a diamond is not a cycle
        {"a": ["ghost"]},  # unknown keys are ignored
    ],
)
def test_no_cycle(edges: dict[str, list[str]]) -> None:
    assert find_cycle(edges) is None


@pytest.mark.parametrize(
    ("edges", "cycle"),
    [
        ({"a": ["a"]}, ["a", "a"]),
        ({"a": ["b"], "b": ["a"]}, ["a", "b", "a"]),
        ({"a": ["b"], "b": ["c"], "c": ["a"]}, ["a", "b", "c", "a"]),
        # The cycle is found even when it does not start at the first key.
        ({"start": ["x"], "x": ["y"], "y": ["z"], "z": ["x"]}, ["x", "y", "z", "x"]),
        ({"free": [], "p": ["q"], "q": ["r"], "r": ["q"]}, ["q", "r", "q"]),
        # A finished branch is not mistaken for a cycle.
        ({"a": ["b", "c"], "b": ["c"], "c": [], "d": ["e"], "e": ["d"]}, ["d", "e", "d"]),
    ],
)
def test_cycle_is_returned_closed(edges: dict[str, list[str]], cycle: list[str]) -> None:
    assert find_cycle(edges) == cycle


def test_cycle_in_a_long_chain_does_not_hit_the_recursion_limit() -> None:
    edges = {f"t{n}": [f"t{n + 1}"] for n in range(5000)}
    edges["t5000"] = ["t0"]
    cycle = find_cycle(edges)
    assert cycle is not None
    assert cycle[0] == cycle[-1] and len(cycle) == 5002


# --- topological_order ----------------------------------------------------------------


def assert_dependencies_first(order: list[str], edges: dict[str, list[str]]) -> None:
    position = {key: n for n, key in enumerate(order)}
    for key, deps in edges.items():
        for dep in deps:
            if dep in edges:
                assert position[dep] < position[key], (dep, key, order)


@pytest.mark.parametrize(
    "edges",
    [
        {"c": ["b"], "b": ["a"], "a": []},
        {"d": ["b", "c"], "b": ["a"], "c": ["a"], "a": []},
        {"x": [], "y": ["x", "ghost"], "z": ["y", "x"]},
        {f"t{n}": [f"t{n + 1}"] for n in range(3000)} | {"t3000": []},
    ],
    ids=["chain", "diamond", "unknown-dependency", "long-chain"],
)
def test_dependencies_come_first(edges: dict[str, list[str]]) -> None:
    order = topological_order(edges)
    assert sorted(order) == sorted(edges)
    assert_dependencies_first(order, edges)


def test_independent_keys_keep_input_order() -> None:
    assert topological_order({"b": [], "a": [], "c": []}) == ["b", "a", "c"]
    assert topological_order({"launch": ["brief"], "brief": [], "other": []}) == [
        "brief",
        "launch",
        "other",
    ]


# --- critical path --------------------------------------------------------------------
#
# Launch day Mon 2027-03-15, Monday-to-Friday calendar, no holidays.
#
#   A (Mon 03-01 .. Wed 03-03) -> B (Thu 03-04 .. Tue 03-09) -> D gate (Thu 03-11 .. Fri 03-12)
#                              -> C (Mon 03-08 .. Wed 03-10) ->
#   D -> L launch (Mon 03-15) -> P post-launch (Tue 03-16 .. Fri 03-19)
#
# Latest finishes, working back from the end of each phase:
#   P: nothing waits, end of post-launch = 03-19                         slack 0
#   L: launch phase ends on launch day 03-15                             slack 0
#   D: L takes 0 days, so D must finish by 03-15;    due 03-12 ->       slack 1 (Mon)
#   B, C: D takes 1 working day, must start by Fri 03-12
#         B due Tue 03-09 -> Wed, Thu, Fri                               slack 3
#         C due Wed 03-10 -> Thu, Fri                                    slack 2
#   A: B takes 3 working days (start 03-04, due 03-09) -> latest start Tue 03-09;
#      C takes 2 (03-08 .. 03-10) -> latest start Wed 03-10; A must finish by 03-09,
#      due Wed 03-03 -> Thu, Fri, Mon, Tue                               slack 4
# The tightest non-post-launch task is L; its tightest chain back is D, C, A.

LAUNCH = date(2027, 3, 15)
EXAMPLE = [
    ScheduledItem("A", "pre-launch", date(2027, 3, 1), date(2027, 3, 3), ()),
    ScheduledItem("B", "pre-launch", date(2027, 3, 4), date(2027, 3, 9), ("A",)),
    ScheduledItem("C", "pre-launch", date(2027, 3, 8), date(2027, 3, 10), ("A",)),
    ScheduledItem("D", "pre-launch", date(2027, 3, 11), date(2027, 3, 12), ("B", "C"), gate=True),
    ScheduledItem("L", "launch", LAUNCH, LAUNCH, ("D",)),
    ScheduledItem("P", "post-launch", date(2027, 3, 16), date(2027, 3, 19), ("L",)),
]


def test_slack_of_a_hand_computed_example() -> None:
    result = critical_path(EXAMPLE, LAUNCH, PLAIN)
    assert result.slack == {"A": 4, "B": 3, "C": 2, "D": 1, "L": 0, "P": 0}


def test_critical_path_of_a_hand_computed_example() -> None:
    assert critical_path(EXAMPLE, LAUNCH, PLAIN).path == ["A", "C", "D", "L"]


def test_input_order_does_not_change_the_result() -> None:
    forward = critical_path(EXAMPLE, LAUNCH, PLAIN)
    backward = critical_path(list(reversed(EXAMPLE)), LAUNCH, PLAIN)
    assert backward == forward


def test_pre_launch_work_never_gets_slack_past_launch_day() -> None:
    """Only a post-launch task waits for `prep`; prep still has to be done by launch day."""
    items = [
        ScheduledItem("prep", "pre-launch", date(2027, 3, 10), date(2027, 3, 11), ()),
        ScheduledItem("report", "post-launch", date(2027, 3, 22), date(2027, 3, 26), ("prep",)),
    ]
    result = critical_path(items, LAUNCH, PLAIN)
    assert result.slack["prep"] == 2  # Fri 03-12 and Mon 03-15
    assert result.slack["report"] == 0
    assert result.path == ["prep"]


def test_a_pre_launch_task_with_nothing_waiting_must_finish_by_launch_day() -> None:
    items = [ScheduledItem("solo", "pre-launch", date(2027, 3, 1), date(2027, 3, 8), ())]
    assert critical_path(items, LAUNCH, PLAIN).slack == {"solo": 5}


def test_slack_is_measured_against_the_latest_start_of_dependents() -> None:
    items = [
        ScheduledItem("late", "pre-launch", date(2027, 3, 12), date(2027, 3, 12), ()),
        ScheduledItem("early", "pre-launch", date(2027, 3, 10), date(2027, 3, 10), ("late",)),
    ]
    assert critical_path(items, LAUNCH, PLAIN).slack == {"late": 1, "early": 3}


def test_pre_launch_work_due_after_launch_day_has_negative_slack() -> None:
    items = [
        ScheduledItem("moved", "pre-launch", date(2027, 3, 17), date(2027, 3, 17), ()),
        ScheduledItem("fine", "pre-launch", date(2027, 3, 12), date(2027, 3, 12), ()),
    ]
    result = critical_path(items, LAUNCH, PLAIN)
    assert result.slack == {"moved": -2, "fine": 1}
    assert result.path == ["moved"]


def test_ties_prefer_the_later_due_task_then_gates() -> None:
    items = [
        ScheduledItem("plain", "pre-launch", LAUNCH, LAUNCH, ()),
        ScheduledItem("gate", "pre-launch", LAUNCH, LAUNCH, (), gate=True),
        ScheduledItem("early", "pre-launch", date(2027, 3, 1), date(2027, 3, 1), ()),
    ]
    result = critical_path(items, LAUNCH, PLAIN)
    assert result.slack == {"plain": 0, "gate": 0, "early": 10}
    assert result.path == ["gate"]


def test_only_post_launch_work_has_no_critical_path() -> None:
    items = [ScheduledItem("p", "post-launch", date(2027, 3, 16), date(2027, 3, 17), ())]
    assert critical_path(items, LAUNCH, PLAIN).path == []
    assert critical_path([], LAUNCH, PLAIN).path == []
