"""SQL statements per page do not grow with the number of launches or tasks.

Counted with a `before_cursor_execute` listener, for a small and a larger portfolio; the
counts must be equal (a number of statements, never a timing).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from launchpad.models import Task, User
from launchpad.services.launch_overview import launch_overview
from launchpad.services.portfolio import portfolio
from launchpad.services.portfolio_filters import PortfolioFilter

from .conftest import MakeLaunch
from .web_support import (  # noqa: F401  (fixtures)
    People,
    Web,
    count_queries_fixture,
    people_fixture,
    web_as_fixture,
)

WebAs = Callable[[User | None], Web]
Count = Callable[[Callable[[], object]], int]


def pages(web: Web, launch_id: int, task_id: int) -> dict[str, Callable[[], object]]:
    return {
        url: (lambda url=url: web.text(url))
        for url in (
            "/",
            "/?team=marketing&quarter=2027-Q1&month=2027-02",
            "/my-tasks",
            f"/launches/{launch_id}",
            f"/launches/{launch_id}/board",
            f"/launches/{launch_id}/activity",
            f"/launches/{launch_id}/roles",
            f"/launches/{launch_id}/tasks/{task_id}",
        )
    }


def measure(web: Web, session: Session, launch_id: int, count: Count) -> list[int]:
    """Statements per page, in the order of `pages`."""
    task_id = session.scalar(select(Task.id).where(Task.launch_id == launch_id).limit(1))
    assert task_id is not None
    return [count(action) for action in pages(web, launch_id, task_id).values()]


def test_queries_per_page_do_not_grow(
    web_as: WebAs, people: People, make_launch: MakeLaunch, session: Session, count_queries: Count
) -> None:
    small = make_launch(template_key="pricing-change", name="Small")
    web = web_as(people.pm)
    web.text("/")  # warm caches (templates, holiday calendars) before counting
    few = measure(web, session, small.id, count_queries)
    big = make_launch(template_key="major-launch", name="Big", launch_date=date(2027, 3, 9))
    for n in range(4):
        make_launch(name=f"More {n}", launch_date=date(2027, 2, 16 + n))
    web.text(f"/launches/{big.id}")
    many = measure(web, session, big.id, count_queries)
    assert few == many


def test_dashboard_counts_agree_with_the_launch_page(
    make_launch: MakeLaunch, session: Session, people: People
) -> None:
    launch = make_launch()
    today = date(2027, 2, 22)
    row = portfolio(session, PortfolioFilter(), today)[0]
    overview = launch_overview(session, launch.id, today)
    assert row.readiness == overview.readiness.overall.percent
    assert row.overdue == len(overview.readiness.overdue) > 0
    assert row.at_risk == len(overview.readiness.at_risk) > 0
