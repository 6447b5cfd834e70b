"""Permissions: one rule per action, checked by the web UI and the REST API alike.

Roles (DESIGN.md section 7): `admin` may do everything but sign off a team it does not
lead; `pm` creates and runs launches; `member` works on their own and their team's tasks;
`viewer` reads. A team's lead (any role but viewer) also reassigns and re-dates that
team's tasks and signs the team off. Deactivated people may do nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from launchpad.models import Task, Team, User
from launchpad.services.errors import Forbidden

Rule = Callable[[User, object | None], bool]
PLANNERS = frozenset({"admin", "pm"})
WORKERS = frozenset({"admin", "pm", "member"})


@dataclass(frozen=True, slots=True)
class Action:
    description: str
    rule: Rule


def _anyone(user: User, target: object | None) -> bool:
    return True


def _planners(user: User, target: object | None) -> bool:
    return user.role in PLANNERS


def _workers(user: User, target: object | None) -> bool:
    return user.role in WORKERS


def _admins(user: User, target: object | None) -> bool:
    return user.role == "admin"


def _task_worker(user: User, target: object | None) -> bool:
    """Planners change any task; members their own and their teams' tasks."""
    if user.role in PLANNERS:
        return True
    if user.role != "member" or not isinstance(target, Task):
        return False
    teams = {membership.team_id for membership in user.memberships}
    return target.assignee_id == user.id or target.team_id in teams


def _led_team_ids(user: User) -> set[int]:
    return {m.team_id for m in user.memberships if m.is_lead}


def _task_lead(user: User, target: object | None) -> bool:
    """Planners, or the lead of the task's team (not a viewer): who does it and by when."""
    if user.role in PLANNERS:
        return True
    if user.role == "viewer" or not isinstance(target, Task):
        return False
    return target.team_id in _led_team_ids(user)


def _team_lead(user: User, target: object | None) -> bool:
    """Only a team's own lead gives its go, whatever their role; viewers give none."""
    if user.role == "viewer" or not isinstance(target, Team):
        return False
    return target.id in _led_team_ids(user)


ACTIONS: dict[str, Action] = {
    "launch.view": Action("see launches and their tasks", _anyone),
    "template.view": Action("browse launch templates", _anyone),
    "directory.view": Action("see people and teams", _anyone),
    "token.manage": Action("manage your own API tokens", _anyone),
    "launch.create": Action("create launches", _planners),
    "launch.edit": Action("change, reschedule or cancel launches", _planners),
    "kpi.manage": Action("define KPI targets", _planners),
    "account.manage": Action("change your own password and time zone", _anyone),
    "task.update": Action("change this task", _task_worker),
    "task.assign": Action("reassign or re-date this task", _task_lead),
    "launch.signoff": Action("sign off for this team", _team_lead),
    "measurement.push": Action("record KPI measurements", _workers),
    "directory.manage": Action("manage people and teams", _admins),
    "webhook.manage": Action("manage webhook endpoints", _admins),
}


def may(action: str, user: User | None, target: object | None = None) -> bool:
    """Whether `user` may do `action` (to `target`); unknown actions are refused."""
    known = ACTIONS.get(action)
    if known is None or user is None or not user.active:
        return False
    return known.rule(user, target)


def require(action: str, user: User | None, target: object | None = None) -> None:
    """Raise Forbidden (403) unless `may` says yes."""
    if not may(action, user, target):
        description = ACTIONS[action].description if action in ACTIONS else action
        raise Forbidden(description)
