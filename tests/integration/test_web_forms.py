"""Bad input in every form: the page comes back with the input kept, a message next to
the field, and never a 500."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from launchpad.models import Task, User

from .conftest import MakeLaunch
from .web_support import People, Web, fresh, people_fixture, web_as_fixture  # noqa: F401  (fixtures)

WebAs = Callable[[User | None], Web]
WIZARD = "/launches/new/feature-release"
GOOD = {"name": "Orbit", "launch_date": "2027-05-04", "timezone": "UTC", "holidays": ""}


def field_error(body: str, field_id: str, message: str) -> bool:
    """The message sits in the field's own message element, tied to the input."""
    marker = f'id="{field_id}-msg"'
    return marker in body and message in body.split(marker, 1)[1].split("</p>", 1)[0]


@pytest.mark.parametrize(
    ("changes", "field_id", "message"),
    [
        ({"name": ""}, "name", "give the launch a name"),
        ({"name": "x" * 201}, "name", "200"),
        ({"launch_date": "2027-02-30"}, "launch_date", "Not a valid date"),
        ({"launch_date": "0001-01-01"}, "launch_date", "between 1970"),
        ({"launch_date": ""}, "launch_date", "pick the launch day"),
        ({"launch_time": "25:99"}, "launch_time", "Not a valid time"),
        ({"timezone": "Mars/Olympus"}, "timezone", "Not a valid choice"),
        ({"holidays": "ZZ"}, "holidays", "unknown holiday calendar"),
        ({"holidays": "DE-XX"}, "holidays", "no subdivision"),
        ({"param.tier": "tier9"}, "params", "not one of"),
        ({"role.pmm": "999999"}, "role-pmm", "pick someone from the list"),
    ],
)
def test_wizard_bad_input(
    web_as: WebAs, people: People, changes: dict[str, str], field_id: str, message: str
) -> None:
    for action in ("preview", "create"):
        response = web_as(people.pm).post(WIZARD, {**GOOD, **changes, "action": action})
        body = response.get_data(as_text=True)
        assert response.status_code == 400, (changes, action)
        assert field_error(body, field_id, message), (changes, body[-3000:])
        if "name" not in changes:
            assert 'value="Orbit"' in body  # what was typed is kept


def test_wizard_keeps_parameters_and_roles(web_as: WebAs, people: People) -> None:
    body = (
        web_as(people.pm)
        .post(
            WIZARD,
            {
                **GOOD,
                "name": "",
                "param.rollout": "all_at_once",
                "param.breaking_change": "true",
                "role.pmm": str(people.member.id),
            },
        )
        .get_data(as_text=True)
    )
    assert '<option value="all_at_once" selected>' in body
    assert 'name="param.breaking_change" value="true" checked' in body
    assert f'<option value="{people.member.id}" selected>' in body


@pytest.fixture
def task_url(make_launch: MakeLaunch, session: Session) -> tuple[str, Task]:
    launch = make_launch()
    task = session.scalars(select(Task).where(Task.launch_id == launch.id).limit(1)).one()
    return f"/launches/{launch.id}/tasks/{task.id}", task


@pytest.mark.parametrize(
    ("path", "data", "field_id", "message"),
    [
        ("status", {"status": "exploded"}, "status", "Not a valid choice"),
        ("due", {"due_date": "tomorrow", "action": "pin"}, "due_date", "Not a valid date"),
        ("due", {"due_date": "9999-01-01", "action": "pin"}, "due_date", "between 1970"),
        ("notes", {"notes": "x" * 20_001}, "notes", "20000"),
        ("title", {"title": "   "}, "title", "give a title"),
        ("title", {"title": "t" * 301}, "title", "300"),
        ("assignee", {"person": "not-a-person"}, "person", "Not a valid choice"),
    ],
)
def test_task_forms_bad_input(
    web_as: WebAs,
    people: People,
    task_url: tuple[str, Task],
    path: str,
    data: dict[str, str],
    field_id: str,
    message: str,
) -> None:
    url, task = task_url
    response = web_as(people.pm).post(f"{url}/{path}", {**data, "version": task.version})
    body = response.get_data(as_text=True)
    assert response.status_code == 400
    assert field_error(body, field_id, message), body[-3000:]


@pytest.mark.parametrize("version", ["", "abc", "-3", "1e9999", "99999999999999999999999"])
def test_broken_versions_are_explained(
    web_as: WebAs, people: People, task_url: tuple[str, Task], version: str
) -> None:
    url, _task = task_url
    response = web_as(people.pm).post(f"{url}/notes", {"notes": "hello", "version": version})
    assert response.status_code in (400, 409)
    assert "out of date" in response.get_data(as_text=True) or "Someone else" in response.get_data(
        as_text=True
    )


def test_reschedule_bad_dates(web_as: WebAs, people: People, make_launch: MakeLaunch) -> None:
    launch = make_launch()
    web = web_as(people.pm)
    for bad, message in (
        ("", "pick the new launch day"),
        ("2027-13-01", "Not a valid date"),
        ("1800-01-01", "between 1970"),
    ):
        response = web.post(
            f"/launches/{launch.id}/reschedule",
            {"new_date": bad, "version": launch.version, "action": "preview"},
        )
        assert response.status_code == 400
        assert field_error(response.get_data(as_text=True), "new_date", message)


def test_a_cancelled_launch_explains_it_cannot_change(
    web_as: WebAs, people: People, make_launch: MakeLaunch
) -> None:
    launch = make_launch()
    web = web_as(people.pm)
    assert (
        web.post(
            f"/launches/{launch.id}/status", {"status": "cancelled", "version": launch.version}
        ).status_code
        == 302
    )
    response = web.post(
        f"/launches/{launch.id}/reschedule",
        {"new_date": "2027-04-01", "version": launch.version + 1, "action": "preview"},
    )
    assert response.status_code == 400 and "can no longer change" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("url", "data", "field_id", "message"),
    [
        ("/people/new", {"email": "not-an-email", "name": "X", "role": "member"}, "email", "email"),
        (
            "/people/new",
            {"email": "pm@example.com", "name": "X", "role": "member"},
            "email",
            "already has an account",
        ),
        (
            "/people/new",
            {"email": "a@example.com", "name": "X", "role": "emperor"},
            "role",
            "Not a valid choice",
        ),
        (
            "/people/new",
            {"email": "a@example.com", "name": "X", "role": "member", "password": "short"},
            "password",
            "10",
        ),
        (
            "/people/new",
            {"email": "a@example.com", "name": "", "role": "member"},
            "name",
            "required",
        ),
        ("/teams/new", {"key": "Bad Key!", "name": "Bad"}, "key", "use a-z"),
        ("/teams/new", {"key": "marketing", "name": "Again"}, "key", "already a team"),
        ("/teams/members", {"person": "0", "team": "marketing"}, "person", "Not a valid choice"),
        ("/teams/members", {"person": "1", "team": "nope"}, "team", "Not a valid choice"),
    ],
)
def test_admin_forms_bad_input(
    web_as: WebAs, people: People, url: str, data: dict[str, str], field_id: str, message: str
) -> None:
    response = web_as(people.admin).post(url, data)
    body = response.get_data(as_text=True)
    assert response.status_code == 400
    assert field_error(body, field_id, message), body[-2500:]
    for value in data.values():
        if value and field_id not in ("password", "role", "team", "person") and len(value) < 40:
            assert value in body or "&" in value  # input kept


def test_sign_in_empty_fields(web_as: WebAs, people: People) -> None:
    response = web_as(None).post("/sign-in", {"email": "", "password": ""})
    assert response.status_code == 400
    assert field_error(response.get_data(as_text=True), "email", "required")


GARBAGE = {
    "status": "\x00",
    "version": "NaN",
    "new_date": "🚀",
    "person": "-1",
    "team": "../etc",
    "role": "x" * 5000,
    "notes": "\x00\x01",
    "title": "<script>",
    "action": "explode",
    "launch_date": "2027-05-04T00:00",
    "timezone": "",
    "param.tier": ["a", "b"],
}


def test_no_form_answers_500_to_garbage(
    web_as: WebAs, people: People, task_url: tuple[str, Task], make_launch: MakeLaunch
) -> None:
    url, _task = task_url
    launch = url.split("/tasks/")[0]
    web = web_as(people.admin)
    targets = [f"{url}/{p}" for p in ("status", "due", "notes", "title", "assignee")]
    targets += [f"{launch}/{p}" for p in ("reschedule", "status", "signoff", "roles")]
    targets += [
        WIZARD,
        "/people/new",
        "/teams/new",
        "/teams/members",
        "/account/password",
        "/people/9999/invitation",
    ]
    for target in targets:
        response = web.post(target, GARBAGE)
        assert response.status_code < 500, target
        assert "<script>" not in response.get_data(as_text=True), target


def test_nul_characters_never_reach_the_database(
    web_as: WebAs, people: People, task_url: tuple[str, Task], session: Session
) -> None:
    url, task = task_url
    web = web_as(people.pm)
    assert (
        web.post(f"{url}/title", {"title": "Nul\x00title", "version": task.version}).status_code
        == 302
    )
    assert web.get("/?team=mark\x00eting").status_code == 200
    assert web.get("/templates/feature\x00release").status_code == 404
    assert web_as(None).post("/sign-in", {"email": "a\x00@b.c", "password": "x"}).status_code == 401
    fresh(session)
    assert session.get_one(Task, task.id).title == "Nultitle"
