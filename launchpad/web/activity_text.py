"""Audit events as sentences a person reads in the activity feed and stale-edit notes."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from launchpad.services.activity import Entry, Names

Describe = Callable[[Entry, Names], str]


def describe(entry: Entry, names: Names) -> str:
    who = names.people.get(entry.actor_id or 0, "Launchpad")
    what = names.tasks.get(entry.entity_id or 0, "a task")
    sentence = _SENTENCES.get(entry.action)
    if sentence is None:
        return f"{who}: {entry.action.replace('_', ' ').replace('.', ' ')}"
    return f"{who} {sentence(entry.before, entry.after, what, names)}"


def _person(names: Names, value: Any) -> str:
    return names.people.get(value, "the team lead") if isinstance(value, int) else "nobody"


def _text(value: Any) -> str:
    return str(value).replace("_", " ") if value not in (None, "") else "—"


Sentence = Callable[[Mapping[str, Any], Mapping[str, Any], str, Names], str]
_SENTENCES: dict[str, Sentence] = {
    "launch.created": lambda b, a, t, n: f"created the launch with {a.get('tasks')} tasks",
    "launch.rescheduled": lambda b, a, t, n: (
        f"moved launch day from {b.get('launch_date')} to {a.get('launch_date')} "
        f"({a.get('moved')} tasks moved)"
    ),
    "launch.status_changed": lambda b, a, t, n: (
        f"changed the launch status from {_text(b.get('status'))} to {_text(a.get('status'))}"
    ),
    "launch.renamed": lambda b, a, t, n: f"renamed the launch to “{a.get('name')}”",
    "launch.signed_off": lambda b, a, t, n: (
        f"signed off for {n.teams.get(str(a.get('team')), a.get('team'))}"
    ),
    "launch.role_remapped": lambda b, a, t, n: (
        f"gave role {a.get('role')} to {_person(n, a.get('user_id'))} "
        f"({a.get('tasks_reassigned')} open tasks reassigned)"
    ),
    "kpi.policy_changed": lambda b, a, t, n: f"changed the alert policy of “{a.get('name')}”",
    "kpi.muted": lambda b, a, t, n: (
        f"muted the alerts of “{a.get('name')}” until {_text(a.get('muted_until'))}"
    ),
    "kpi.unmuted": lambda b, a, t, n: f"unmuted the alerts of “{a.get('name')}”",
    "task.status_changed": lambda b, a, t, n: (
        f"set “{t}” from {_text(b.get('status'))} to {_text(a.get('status'))}"
    ),
    "task.rescheduled": lambda b, a, t, n: (
        f"moved “{t}” from {b.get('due_date')} to {a.get('due_date')}"
    ),
    "task.pinned": lambda b, a, t, n: f"pinned “{t}” to {a.get('due_date')}",
    "task.unpinned": lambda b, a, t, n: (
        f"unpinned “{t}”; it is due {a.get('due_date')} again by its offset"
    ),
    "task.reassigned": lambda b, a, t, n: (
        f"gave “{t}” to {_person(n, a.get('assignee_id'))} (was {_person(n, b.get('assignee_id'))})"
    ),
    "task.notes_changed": lambda b, a, t, n: f"edited the notes of “{t}”",
    "task.retitled": lambda b, a, t, n: f"renamed “{b.get('title')}” to “{a.get('title')}”",
}
