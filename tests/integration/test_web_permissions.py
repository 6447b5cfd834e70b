"""The permission module as a full matrix: every role against every action.

Each person is judged against each kind of target (their own task, a task of their team,
a task of another team, their team, another team); the expected answers are written out
here in one table so a change to a rule shows up as a readable diff.
"""

from __future__ import annotations

import pytest

from launchpad.auth.permissions import ACTIONS, may
from launchpad.models import Membership, Task, Team, User

TEAM = Team(id=1, key="marketing", name="Marketing")
OTHER_TEAM = Team(id=2, key="sales", name="Sales")


def person(role: str, *, lead: bool = False, member: bool = False, active: bool = True) -> User:
    user = User(id=10, email=f"{role}@example.com", name=role, role=role, active=active)
    if lead or member:
        user.memberships = [Membership(user_id=10, team_id=TEAM.id, is_lead=lead)]
    return user


PEOPLE = {
    "admin": person("admin"),
    "pm": person("pm"),
    "lead": person("member", lead=True),
    "member": person("member", member=True),
    "outsider": person("member"),
    "viewer": person("viewer"),
    "viewer-lead": person("viewer", lead=True),
    "inactive-admin": person("admin", active=False),
}
TARGETS = {
    "none": None,
    "own-task": Task(id=1, team_id=OTHER_TEAM.id, assignee_id=10),
    "team-task": Task(id=2, team_id=TEAM.id, assignee_id=99),
    "other-task": Task(id=3, team_id=OTHER_TEAM.id, assignee_id=99),
    "team": TEAM,
    "other-team": OTHER_TEAM,
}
ALL = set(TARGETS)
TASKS = {"own-task", "team-task", "other-task"}
NOBODY: set[str] = set()
# action -> person -> the targets for which the answer is yes
EXPECTED: dict[str, dict[str, set[str]]] = {
    **{
        action: {**dict.fromkeys(PEOPLE, ALL), "inactive-admin": NOBODY}
        for action in (
            "launch.view",
            "template.view",
            "directory.view",
            "token.manage",
            "account.manage",
        )
    },
    **{
        action: {
            **dict.fromkeys(PEOPLE, NOBODY),
            "admin": ALL,
            "pm": ALL,
        }
        for action in ("launch.create", "launch.edit", "kpi.manage")
    },
    "task.update": {
        **dict.fromkeys(PEOPLE, NOBODY),
        "admin": ALL,
        "pm": ALL,
        "lead": {"own-task", "team-task"},
        "member": {"own-task", "team-task"},
        "outsider": {"own-task"},
    },
    "task.assign": {
        **dict.fromkeys(PEOPLE, NOBODY),
        "admin": ALL,
        "pm": ALL,
        "lead": {"team-task"},
    },
    "launch.signoff": {**dict.fromkeys(PEOPLE, NOBODY), "lead": {"team"}},
    "measurement.push": {
        **dict.fromkeys(PEOPLE, NOBODY),
        "admin": ALL,
        "pm": ALL,
        "lead": ALL,
        "member": ALL,
        "outsider": ALL,
    },
    **{
        action: {**dict.fromkeys(PEOPLE, NOBODY), "admin": ALL}
        for action in ("directory.manage", "webhook.manage")
    },
}


def test_the_table_covers_every_action() -> None:
    assert set(EXPECTED) == set(ACTIONS)


@pytest.mark.parametrize("action", sorted(ACTIONS))
@pytest.mark.parametrize("who", sorted(PEOPLE))
def test_matrix(action: str, who: str) -> None:
    answers = {name for name, target in TARGETS.items() if may(action, PEOPLE[who], target)}
    assert answers == EXPECTED[action][who], f"{who} / {action}"


def test_unknown_actions_and_visitors_are_refused() -> None:
    assert not may("launch.delete-everything", PEOPLE["admin"])
    assert not may("launch.view", None)
