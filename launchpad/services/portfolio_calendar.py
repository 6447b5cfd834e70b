"""The portfolio month: launch days on a calendar, and weeks where a team is stretched.

A week is flagged for a team when that team has open tasks due in it from two or more
launches: the moment to move a date or find help, before anyone is overloaded.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from launchpad.models import Launch, Task, Team
from launchpad.services.portfolio import launch_ids_statement
from launchpad.services.portfolio_filters import PortfolioFilter

SETTLED = ("done", "skipped")


@dataclass(frozen=True, slots=True)
class Crowded:
    team: str
    launches: tuple[str, ...]


@dataclass(slots=True)
class Week:
    days: list[date]
    launches: dict[date, list[tuple[int, str, str]]] = field(default_factory=dict)
    crowded: list[Crowded] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Month:
    first: date
    weeks: list[Week]

    @property
    def previous(self) -> date:
        return (self.first - timedelta(days=1)).replace(day=1)

    @property
    def next(self) -> date:
        return (self.first + timedelta(days=32)).replace(day=1)


def portfolio_month(session: Session, wanted: PortfolioFilter, first: date) -> Month:
    first = first.replace(day=1)
    start = first - timedelta(days=first.weekday())
    end_of_month = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    weeks = [
        Week([start + timedelta(days=7 * w + d) for d in range(7)])
        for w in range((end_of_month - start).days // 7 + 1)
    ]
    last = weeks[-1].days[-1]
    ids = launch_ids_statement(wanted).scalar_subquery()
    _place_launches(session, ids, weeks, start, last)
    _flag_crowded_weeks(session, ids, weeks, start, last)
    return Month(first, weeks)


def _place_launches(session: Session, ids: Any, weeks: list[Week], start: date, last: date) -> None:
    rows = session.execute(
        select(Launch.id, Launch.name, Launch.status, Launch.launch_date)
        .where(Launch.id.in_(ids), Launch.launch_date.between(start, last))
        .order_by(Launch.launch_date, Launch.name)
    )
    for launch_id, name, status, day in rows:
        week = weeks[(day - start).days // 7]
        week.launches.setdefault(day, []).append((launch_id, name, status))


def _flag_crowded_weeks(
    session: Session, ids: Any, weeks: list[Week], start: date, last: date
) -> None:
    rows = session.execute(
        select(Team.name, Launch.name, Task.due_date)
        .join(Team, Team.id == Task.team_id)
        .join(Launch, Launch.id == Task.launch_id)
        .where(
            Task.launch_id.in_(ids),
            Task.status.not_in(SETTLED),
            Task.due_date.between(start, last),
        )
        .distinct()
    )
    load: dict[tuple[int, str], set[str]] = {}
    for team, launch, due in rows:
        load.setdefault(((due - start).days // 7, team), set()).add(launch)
    for (index, team), launches in sorted(load.items()):
        if len(launches) > 1:
            weeks[index].crowded.append(Crowded(team, tuple(sorted(launches))))
