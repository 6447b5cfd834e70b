"""Every page renders for every role, 404s are friendly, 403s where a role may not go."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from launchpad.models import Task, User

from .conftest import MakeLaunch
from .web_support import People, Web, people_fixture, web_as_fixture  # noqa: F401  (fixtures)

WebAs = Callable[[User | None], Web]
ROLES = ("admin", "pm", "lead", "member", "viewer")
READ_PAGES = (
    "/",
    "/?status=scheduled&team=marketing&quarter=2027-Q1",
    "/?month=2027-03",
    "/my-tasks",
    "/templates",
    "/templates/feature-release",
    "/templates/feature-release?date=2027-06-01",
    "/launches/{launch}",
    "/launches/{launch}/board",
    "/launches/{launch}/activity",
    "/launches/{launch}/tasks/{task}",
    "/people",
    "/account/password",
)
PLANNER_PAGES = (
    "/launches/new",
    "/launches/new/feature-release",
    "/launches/{launch}/reschedule",
    "/launches/{launch}/roles",
)
ADMIN_PAGES = ("/people/new", "/teams/new", "/teams/members")


@pytest.fixture
def ids(make_launch: MakeLaunch, session: Session) -> dict[str, int]:
    launch = make_launch()
    task = session.scalar(select(Task.id).where(Task.launch_id == launch.id).limit(1))
    assert task is not None
    return {"launch": launch.id, "task": task}


@pytest.mark.parametrize("role", ROLES)
def test_pages_by_role(role: str, web_as: WebAs, people: People, ids: dict[str, int]) -> None:
    web = web_as(getattr(people, role))
    for page in READ_PAGES:
        assert web.get(page.format(**ids)).status_code == 200, page
    planner = role in ("admin", "pm")
    for page in PLANNER_PAGES:
        assert web.get(page.format(**ids)).status_code == (200 if planner else 403), page
    for page in ADMIN_PAGES:
        assert web.get(page.format(**ids)).status_code == (200 if role == "admin" else 403), page


def test_the_dashboard_lists_launches_with_their_numbers(
    web_as: WebAs, people: People, ids: dict[str, int]
) -> None:
    body = web_as(people.viewer).text("/?month=2027-03")
    assert "Comet" in body and "Tue 2 Mar 2027" in body
    assert "<meter" in body and "Next gate" in body
    assert "March 2027" in body and "🚀 Comet" in body


def test_the_month_flags_a_team_with_tasks_from_two_launches(
    web_as: WebAs, people: People, make_launch: MakeLaunch
) -> None:
    make_launch(name="Comet")
    make_launch(name="Nova")
    body = web_as(people.pm).text("/?month=2027-02")
    assert 'class="crowded"' in body and "2 launches" in body


def test_dashboard_filters(web_as: WebAs, people: People, make_launch: MakeLaunch) -> None:
    from datetime import date

    make_launch(name="Comet")
    make_launch(name="Later", launch_date=date(2027, 8, 3))
    web = web_as(people.pm)
    assert "Later" not in web.text("/?quarter=2027-Q1")
    assert "Comet" in web.text("/?quarter=2027-Q1")
    assert "Comet" not in web.text("/?status=draft")
    assert "Comet" not in web.text("/?team=no-such-team")


def test_dashboard_pages_and_its_links_keep_the_filters(
    web_as: WebAs,
    people: People,
    make_launch: MakeLaunch,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import html
    import re
    from datetime import date

    from launchpad.services import portfolio

    monkeypatch.setattr(portfolio, "PAGE_SIZE", 2)
    for n in range(5):  # launch-day order: Ship 0 .. Ship 4
        make_launch(name=f"Ship {n}", launch_date=date(2027, 3, 2 + n))
    make_launch(name="Elsewhere", launch_date=date(2027, 8, 3))  # another quarter
    web = web_as(people.pm)

    def listed(url: str) -> str:  # the launch table and pager, not the month calendar
        return web.text(url).split('id="calendar-h"')[0]

    first = listed("/?quarter=2027-Q1&month=2027-03")
    assert "Ship 0" in first and "Ship 1" in first and "Ship 2" not in first
    assert "Launches 1\u20132 of 5" in first
    pages = {
        html.unescape(href)
        for href in re.findall(r'href="(/\?[^"]*page=\d[^"]*)"', first)  # the pager's links
    }
    assert pages and all("quarter=2027-Q1" in h and "month=2027-03" in h for h in pages)
    third = listed(next(h for h in pages if "page=3" in h))
    assert "Ship 4" in third and "Ship 0" not in third and "Elsewhere" not in third
    assert "Launches 5\u20135 of 5" in third
    assert "Ship 4" in listed("/?quarter=2027-Q1&page=99")  # past the end: the last page
    assert "Ship 0" in listed("/?quarter=2027-Q1&page=x")  # nonsense: the first page
    assert 'aria-label="Pages of launches"' not in listed("/?quarter=2027-Q3")  # one page


def test_dashboard_hides_closed_and_cancelled_launches_unless_asked(
    web_as: WebAs, people: People, make_launch: MakeLaunch, session: Session
) -> None:
    from launchpad.models import Launch

    make_launch(name="Comet")
    for name, status in (("Old Closed", "closed"), ("Called Off", "cancelled")):
        launch = make_launch(name=name)
        session.get_one(Launch, launch.id).status = status
    session.commit()
    web = web_as(people.pm)
    default = web.text("/")
    assert "Comet" in default and "Old Closed" not in default.split('id="calendar-h"')[0]
    assert "Called Off" not in default.split('id="calendar-h"')[0]
    everything = web.text("/?show=all")
    assert "Old Closed" in everything and "Called Off" in everything
    assert 'name="show" value="all" checked' in everything
    assert "Old Closed" in web.text("/?status=closed")  # a status asked for is shown


@pytest.mark.parametrize(
    "query",
    [
        "status=exploded",
        "quarter=2027-Q9",
        "quarter=99999-Q1",
        "month=2027-13",
        "month=x",
        "team=" + "x" * 300,
    ],
)
def test_bad_filters_are_explained_not_500(web_as: WebAs, people: People, query: str) -> None:
    response = web_as(people.pm).get(f"/?{query}")
    assert response.status_code == 400
    assert 'class="error"' in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "url",
    [
        "/launches/9999",
        "/launches/9999/board",
        "/launches/9999/tasks/1",
        "/launches/{launch}/tasks/999999",
        "/templates/no-such-template",
        "/templates/..%2Fsecrets",
        "/launches/new/no-such-template",
        "/no/such/page",
    ],
)
def test_missing_things_are_friendly_404s(
    url: str, web_as: WebAs, people: People, ids: dict[str, int]
) -> None:
    response = web_as(people.pm).get(url.format(**ids))
    assert response.status_code == 404
    assert "Nothing here" in response.get_data(as_text=True)


def test_a_task_is_found_only_under_its_own_launch(
    web_as: WebAs, people: People, make_launch: MakeLaunch, ids: dict[str, int]
) -> None:
    other = make_launch(name="Other")
    response = web_as(people.pm).get(f"/launches/{other.id}/tasks/{ids['task']}")
    assert response.status_code == 404


def test_api_errors_stay_problem_documents(web_as: WebAs, people: People) -> None:
    response = web_as(people.pm).get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response.content_type == "application/problem+json"


def test_template_preview_with_a_bad_date_says_so(web_as: WebAs, people: People) -> None:
    for bad in ("not-a-date", "0001-01-01", "9999-12-31"):
        response = web_as(people.pm).get(f"/templates/feature-release?date={bad}")
        assert response.status_code == 400
        assert "is not a date between" in response.get_data(as_text=True)


def test_viewers_see_no_edit_controls(web_as: WebAs, people: People, ids: dict[str, int]) -> None:
    web = web_as(people.viewer)
    launch = web.text(f"/launches/{ids['launch']}")
    assert "data-inline-status" not in launch and "Reschedule" not in launch
    task = web.text(f"/launches/{ids['launch']}/tasks/{ids['task']}")
    assert "You can read this task but not change it." in task
