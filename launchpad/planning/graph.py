"""Dependency graph of a plan: cycles, order, slack and the critical path."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from launchpad.planning.workdays import WorkCalendar


def find_cycle(edges: Mapping[str, Sequence[str]]) -> list[str] | None:
    """One dependency cycle as `[a, b, c, a]`, or None. Unknown keys are ignored."""
    state: dict[str, int] = {}  # 1 = on the current path, 2 = finished
    for root in edges:
        if state.get(root):
            continue
        stack: list[tuple[str, int]] = [(root, 0)]
        path: list[str] = []
        while stack:
            node, index = stack.pop()
            if index == 0:
                state[node] = 1
                path.append(node)
            children = [c for c in edges.get(node, ()) if c in edges]
            if index < len(children):
                stack.append((node, index + 1))
                child = children[index]
                if state.get(child) == 1:
                    return [*path[path.index(child) :], child]
                if not state.get(child):
                    stack.append((child, 0))
            else:
                state[node] = 2
                path.pop()
    return None


def topological_order(edges: Mapping[str, Sequence[str]]) -> list[str]:
    """Keys with every dependency before its dependents (input order kept otherwise)."""
    order: list[str] = []
    seen: set[str] = set()
    for root in edges:
        stack = [(root, iter(edges.get(root, ())))]
        if root in seen:
            continue
        seen.add(root)
        while stack:
            node, children = stack[-1]
            child = next((c for c in children if c in edges and c not in seen), None)
            if child is None:
                order.append(node)
                stack.pop()
            else:
                seen.add(child)
                stack.append((child, iter(edges.get(child, ()))))
    return order


@dataclass(frozen=True, slots=True)
class ScheduledItem:
    """What slack needs of a task: its dates, phase and dependencies."""

    key: str
    phase: str
    start: date
    due: date
    depends_on: tuple[str, ...]
    gate: bool = False


@dataclass(frozen=True, slots=True)
class CriticalPath:
    slack: dict[str, int]
    path: list[str]


def critical_path(
    items: Iterable[ScheduledItem], launch_day: date, calendar: WorkCalendar
) -> CriticalPath:
    """Working-day slack of every task and the chain to launch with the least of it.

    A task's latest finish is the latest start of the tasks that wait for it, and never
    after the end of its phase (launch day for pre-launch work). Slack is the working
    days between its due date and that latest finish.
    """
    by_key = {item.key: item for item in items}
    dependents: dict[str, list[str]] = {key: [] for key in by_key}
    for item in by_key.values():
        for parent in item.depends_on:
            if parent in dependents:
                dependents[parent].append(item.key)
    phase_end = _phase_ends(by_key.values(), launch_day)
    latest_finish: dict[str, date] = {}
    edges = {key: tuple(dependents[key]) for key in by_key}
    for key in topological_order(edges):
        waiting = [_latest_start(by_key[d], latest_finish[d], calendar) for d in dependents[key]]
        # Capped by the phase end: pre-launch work waited for only by later phases must
        # still be done by launch day.
        latest_finish[key] = min([*waiting, phase_end[by_key[key].phase]])
    slack = {
        key: calendar.working_days_between(item.due, latest_finish[key])
        for key, item in by_key.items()
    }
    return CriticalPath(slack, _walk_back(by_key, slack))


def _latest_start(item: ScheduledItem, finish: date, calendar: WorkCalendar) -> date:
    length = calendar.working_days_between(item.start, item.due)
    return calendar.add_working_days(finish, -length) if length > 0 else finish


def _phase_ends(items: Iterable[ScheduledItem], launch_day: date) -> dict[str, date]:
    ends = {"pre-launch": launch_day, "launch": launch_day, "post-launch": launch_day}
    for item in items:
        if item.phase != "pre-launch":
            ends[item.phase] = max(ends[item.phase], item.due)
    ends["post-launch"] = max(ends.values())
    return ends


def _walk_back(by_key: Mapping[str, ScheduledItem], slack: Mapping[str, int]) -> list[str]:
    """From the tightest pre-launch/launch task, follow its tightest dependencies."""
    candidates = [item for item in by_key.values() if item.phase != "post-launch"]
    if not candidates:
        return []
    current: ScheduledItem | None = min(candidates, key=lambda i: _tightness(i, slack))
    path: list[str] = []
    while current is not None and current.key not in path:
        path.append(current.key)
        parents = [by_key[p] for p in current.depends_on if p in by_key]
        current = min(parents, key=lambda i: _tightness(i, slack)) if parents else None
    return path[::-1]


def _tightness(item: ScheduledItem, slack: Mapping[str, int]) -> tuple[int, int, int]:
    return (slack[item.key], -item.due.toordinal(), 0 if item.gate else 1)
