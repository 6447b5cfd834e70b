"""The portfolio dashboard: every launch with its readiness, risks and next gate.

A fixed number of queries whatever the number of launches or tasks: the counts are
aggregated by the database, only open gates and at-risk candidates come back as rows.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Select, case, func, select
from sqlalchemy.orm import Session

from launchpad.models import Launch, Task, Team, TemplateVersion
from launchpad.services.launch_access import CLOSED_STATUSES
from launchpad.services.portfolio_filters import PortfolioFilter
from launchpad.services.portfolio_risk import at_risk_counts

SETTLED = ("done", "skipped")
PAGE_SIZE = 50


@dataclass(frozen=True, slots=True)
class Gate:
    task_id: int
    title: str
    due_date: date


@dataclass(frozen=True, slots=True)
class PortfolioRow:
    launch_id: int
    name: str
    launch_date: date
    status: str
    template: str
    total: int
    done: int
    skipped: int
    overdue: int
    at_risk: int
    next_gate: Gate | None

    @property
    def readiness(self) -> int:
        """done / (all - skipped) in percent, as on the launch page."""
        counted = self.total - self.skipped
        return round(100 * self.done / counted) if counted else 100


@dataclass(frozen=True, slots=True)
class PortfolioPage:
    """One page of the portfolio, in launch-day order; ``number`` counts from 1."""

    rows: list[PortfolioRow]
    number: int
    pages: int
    total: int
    size: int

    @property
    def first(self) -> int:
        """The position of the page's first launch among all that match (from 1)."""
        return (self.number - 1) * self.size + 1


def launch_ids_statement(wanted: PortfolioFilter) -> Select[Any]:
    statement = select(Launch.id)
    if wanted.status:
        statement = statement.where(Launch.status == wanted.status)
    elif wanted.hides_finished:
        statement = statement.where(Launch.status.not_in(CLOSED_STATUSES))
    if wanted.quarter:
        first, last = wanted.quarter_range()
        statement = statement.where(Launch.launch_date.between(first, last))
    if wanted.team:
        teams = select(Team.id).where(Team.key == wanted.team)
        statement = statement.where(
            Launch.id.in_(select(Task.launch_id).where(Task.team_id.in_(teams)))
        )
    return statement


def portfolio(session: Session, wanted: PortfolioFilter, today: date) -> list[PortfolioRow]:
    """Every launch the filter lets through."""
    return _rows(session, launch_ids_statement(wanted).scalar_subquery(), today)


def portfolio_page(
    session: Session, wanted: PortfolioFilter, today: date, number: int, size: int | None = None
) -> PortfolioPage:
    """Page ``number`` (clamped to the pages there are): one count, then one page's rows."""
    size = size or PAGE_SIZE
    matching = launch_ids_statement(wanted)
    total = session.scalar(select(func.count()).select_from(matching.subquery())) or 0
    pages = max(1, math.ceil(total / size))
    number = min(max(1, number), pages)
    ids = (
        matching.order_by(Launch.launch_date, Launch.id)
        .limit(size)
        .offset((number - 1) * size)
        .scalar_subquery()
    )
    return PortfolioPage(_rows(session, ids, today), number, pages, total, size)


def _rows(session: Session, ids: Any, today: date) -> list[PortfolioRow]:
    launches = session.execute(
        select(Launch, TemplateVersion.name)
        .join(TemplateVersion, TemplateVersion.id == Launch.template_version_id)
        .where(Launch.id.in_(ids))
        .order_by(Launch.launch_date, Launch.id)
    ).all()
    counts = _counts(session, ids, today)
    gates = _next_gates(session, ids)
    risky = at_risk_counts(session, [launch for launch, _ in launches], ids, today)
    return [
        PortfolioRow(
            launch.id,
            launch.name,
            launch.launch_date,
            launch.status,
            template,
            *counts.get(launch.id, (0, 0, 0, 0)),
            risky.get(launch.id, 0),
            gates.get(launch.id),
        )
        for launch, template in launches
    ]


def _counts(session: Session, ids: Any, today: date) -> dict[int, tuple[int, int, int, int]]:
    open_task = Task.status.not_in(SETTLED)
    rows = session.execute(
        select(
            Task.launch_id,
            func.count(),
            func.sum(case((Task.status == "done", 1), else_=0)),
            func.sum(case((Task.status == "skipped", 1), else_=0)),
            func.sum(case((open_task & (Task.due_date < today), 1), else_=0)),
        )
        .where(Task.launch_id.in_(ids))
        .group_by(Task.launch_id)
    )
    return {row[0]: (int(row[1]), int(row[2]), int(row[3]), int(row[4])) for row in rows}


def _next_gates(session: Session, ids: Any) -> dict[int, Gate]:
    rows = session.execute(
        select(Task.launch_id, Task.id, Task.title, Task.due_date)
        .where(Task.launch_id.in_(ids), Task.gate, Task.status != "done")
        .order_by(Task.launch_id, Task.due_date, Task.position)
    )
    gates: dict[int, Gate] = {}
    for launch_id, task_id, title, due in rows:
        gates.setdefault(launch_id, Gate(task_id, title, due))
    return gates
