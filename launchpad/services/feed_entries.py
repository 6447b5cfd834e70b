"""What a task's calendar event says, and for which feed: rows in, ``Entry`` out.

Only this module decides an event's content; the cached path and the from-scratch
reference both go through it, which is what keeps their bytes identical.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time

from launchpad.ical import TODO_STATUS, Entry, uid_host
from launchpad.models import Task
from launchpad.planning.timezones import local_to_utc

RENDER_FORMAT = "1"  # bump when an event's layout changes: every cached event goes stale
STATUS_TEXT = {"todo": "to do", "in_progress": "in progress", "blocked": "blocked"}


@dataclass(frozen=True, slots=True)
class Rendering:
    """How events of one feed are written: which kind of component, for which scope kind."""

    base_url: str
    scope_kind: str
    todo: bool

    @property
    def variant(self) -> str:
        return f"{'todo' if self.todo else 'event'}.{self.scope_kind}"

    @property
    def renderer(self) -> str:
        """Cached bytes are valid only for the same layout and base URL."""
        return hashlib.sha256(f"{RENDER_FORMAT}|{self.base_url}".encode()).hexdigest()[:16]


def task_entry(
    task: Task,
    launch_name: str,
    zone: str,
    team: str,
    assignee: str | None,
    depends_on: Sequence[str],
    how: Rendering,
) -> Entry:
    url = f"{how.base_url}/launches/{task.launch_id}/tasks/{task.id}"
    lines = {
        "Phase": task.phase,
        "Team": team,
        "Assignee": assignee or "unassigned",
        "Status": STATUS_TEXT.get(task.status, task.status),
        "Depends on": "; ".join(depends_on),
    }
    flags = ("Milestone",) * task.milestone + ("Gate",) * task.gate
    multi_day = task.start_date is not None and task.start_date < task.due_date
    return Entry(
        uid=f"task-{task.id}.{how.scope_kind}@{uid_host(how.base_url)}",
        summary=f"[{launch_name}] {task.title}",
        description=_description(lines, flags, url),
        url=url,
        categories=(task.phase, team, *flags),
        day=task.due_date,
        first_day=task.start_date if multi_day else None,
        due_at=local_to_utc(task.due_date, task.due_time, zone) if task.due_time else None,
        sequence=task.sequence,
        changed_at=task.updated_at,
        todo_status=TODO_STATUS.get(task.status, "NEEDS-ACTION") if how.todo else None,
    )


@dataclass(frozen=True, slots=True)
class LaunchDay:
    """What a launch's feed needs of the launch: its launch-day event and its ETag."""

    id: int
    name: str
    launch_date: date
    launch_time: time | None
    timezone: str
    status: str
    version: int
    updated_at: datetime


def launch_day_entry(launch: LaunchDay, base_url: str) -> Entry:
    """Launch day as an all-day event of its own (launch feeds only)."""
    url = f"{base_url}/launches/{launch.id}"
    at = f" at {launch.launch_time:%H:%M} ({launch.timezone})" if launch.launch_time else ""
    return Entry(
        uid=f"launch-{launch.id}.launch@{uid_host(base_url)}",
        summary=f"[{launch.name}] Launch day",
        description=_description({"Launch": f"{launch.launch_date}{at}"}, (), url),
        url=url,
        categories=("launch", "Launch day"),
        day=launch.launch_date,
        first_day=None,
        due_at=None,
        sequence=launch.version,
        changed_at=launch.updated_at,
    )


def _description(lines: Mapping[str, str], flags: Sequence[str], url: str) -> str:
    shown = [f"{label}: {value}" for label, value in lines.items() if value]
    return "\n".join([*shown, *flags, "", url])
