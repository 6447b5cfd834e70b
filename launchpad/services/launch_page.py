"""Everything the launch page shows, in a fixed number of queries whatever its size."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased, joinedload

from launchpad.models import KpiTarget, LaunchRole, LaunchSignoff, Task, Team, User
from launchpad.services.launch_overview import LaunchOverview, launch_overview


@dataclass(frozen=True, slots=True)
class TaskRow:
    task: Task
    team_key: str
    team_name: str
    assignee: str | None
    depends_on: tuple[str, ...]
    slack: int | None
    critical: bool


@dataclass(frozen=True, slots=True)
class Signoff:
    team: Team
    signed_by: str | None


@dataclass(frozen=True, slots=True)
class LaunchPage:
    overview: LaunchOverview
    rows: list[TaskRow]
    signoffs: list[Signoff]
    kpis: list[KpiTarget]

    def by_phase(self) -> dict[str, list[TaskRow]]:
        phases: dict[str, list[TaskRow]] = {"pre-launch": [], "launch": [], "post-launch": []}
        for row in sorted(self.rows, key=lambda r: (r.task.due_date, r.task.position)):
            phases[row.task.phase].append(row)
        return phases

    def by_team(self) -> dict[str, list[TaskRow]]:
        teams: dict[str, list[TaskRow]] = {}
        for row in sorted(self.rows, key=lambda r: (r.team_name, r.task.due_date)):
            teams.setdefault(row.team_name, []).append(row)
        return teams


def launch_page(session: Session, launch_id: int, today: date) -> LaunchPage:
    overview = launch_overview(session, launch_id, today)
    depends = {p.key: p.depends_on for p in overview.progress}
    critical = set(overview.critical.path)
    assignee = aliased(User)
    rows = [
        TaskRow(
            task,
            team_key,
            team_name,
            name,
            depends.get(task.key, ()),
            overview.critical.slack.get(task.key),
            task.key in critical,
        )
        for task, team_key, team_name, name in session.execute(
            select(Task, Team.key, Team.name, assignee.name)
            .join(Team, Team.id == Task.team_id)
            .outerjoin(assignee, assignee.id == Task.assignee_id)
            .where(Task.launch_id == launch_id)
            .order_by(Task.position)
        )
    ]
    kpis = list(
        session.scalars(
            select(KpiTarget).where(KpiTarget.launch_id == launch_id).order_by(KpiTarget.id)
        )
    )
    return LaunchPage(overview, rows, _signoffs(session, launch_id, rows), kpis)


def _signoffs(session: Session, launch_id: int, rows: list[TaskRow]) -> list[Signoff]:
    """One entry per team with tasks in the launch, signed or not."""
    teams = {row.task.team_id for row in rows}
    signed = {
        team_id: name
        for team_id, name in session.execute(
            select(LaunchSignoff.team_id, User.name)
            .join(User, User.id == LaunchSignoff.user_id)
            .where(LaunchSignoff.launch_id == launch_id)
        )
    }
    found = session.scalars(select(Team).where(Team.id.in_(teams)).order_by(Team.name))
    return [Signoff(team, signed.get(team.id)) for team in found]


def launch_roles(session: Session, launch_id: int) -> list[LaunchRole]:
    """Role mappings with their team and person loaded (for the re-map page)."""
    return list(
        session.scalars(
            select(LaunchRole)
            .options(joinedload(LaunchRole.team), joinedload(LaunchRole.user))
            .where(LaunchRole.launch_id == launch_id)
            .order_by(LaunchRole.role)
        )
    )
