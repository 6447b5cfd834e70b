"""Domain objects as the plain data the response schemas dump."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from launchpad.models import Launch, Task
from launchpad.planning.readiness import Score
from launchpad.planning.reschedule import ReschedulePlan
from launchpad.services.launch_overview import launch_overview
from launchpad.services.listings import TaskContext


def launch_body(launch: Launch) -> dict[str, Any]:
    version = launch.template_version
    return {
        "id": launch.id,
        "name": launch.name,
        "template": {
            "key": version.key,
            "version": version.version,
            "content_hash": version.content_hash,
        },
        "launch_date": launch.launch_date,
        "launch_time": launch.launch_time,
        "timezone": launch.timezone,
        "holidays": launch.holidays,
        "parameters": launch.parameters,
        "status": launch.status,
        "version": launch.version,
        "created_at": launch.created_at,
        "updated_at": launch.updated_at,
    }


def _score(score: Score) -> dict[str, int]:
    return {
        "total": score.total,
        "done": score.done,
        "skipped": score.skipped,
        "overdue": score.overdue,
        "at_risk": score.at_risk,
        "percent": score.percent,
    }


def launch_detail_body(session: Session, launch: Launch, today: date) -> dict[str, Any]:
    overview = launch_overview(session, launch.id, today)
    readiness = overview.readiness
    return {
        **launch_body(launch),
        "readiness": {
            "overall": _score(readiness.overall),
            "phases": {name: _score(s) for name, s in readiness.by_phase.items()},
            "teams": {name: _score(s) for name, s in readiness.by_team.items()},
            "go": overview.decision.go,
            "no_go_reasons": overview.decision.reasons,
            "critical_path": overview.critical.path,
        },
    }


def reschedule_body(plan: ReschedulePlan, *, applied: bool) -> dict[str, Any]:
    return {
        "applied": applied,
        "old_launch_date": plan.old_launch_day,
        "new_launch_date": plan.new_launch_day,
        "moves": list(plan.moves),
        "kept_pinned": list(plan.kept_pinned),
        "kept_settled": list(plan.kept_settled),
        "violations": list(plan.violations),
    }


def task_body(task: Task, context: TaskContext) -> dict[str, Any]:
    return {
        "id": task.id,
        "launch_id": task.launch_id,
        "key": task.key,
        "title": task.title,
        "description": task.description,
        "phase": task.phase,
        "team": context.team_keys[task.team_id],
        "role": task.role,
        "assignee": context.emails.get(task.assignee_id) if task.assignee_id else None,
        "status": task.status,
        "due_date": task.due_date,
        "due_time": task.due_time,
        "start_date": task.start_date,
        "due_offset": task.due_offset,
        "pinned": task.pinned,
        "gate": task.gate,
        "milestone": task.milestone,
        "notes": task.notes,
        "depends_on": context.depends_on.get(task.id, []),
        "version": task.version,
        "updated_at": task.updated_at,
        "completed_at": task.completed_at,
    }
