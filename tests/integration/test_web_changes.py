"""Changing things through the UI: wizard, status, reschedule, roles, sign-off, stale edits."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from launchpad.models import AuditEvent, Launch, LaunchSignoff, Task, Team, User
from launchpad.services.launch_status import set_launch_status
from launchpad.services.task_changes import set_status

from .conftest import NOW, MakeLaunch
from .web_support import People, Web, fresh, people_fixture, web_as_fixture  # noqa: F401  (fixtures)

WebAs = Callable[[User | None], Web]
WIZARD = "/launches/new/feature-release"


def wizard_input(**changes: str) -> dict[str, str]:
    values = {
        "name": "Orbit",
        "launch_date": "2027-05-04",
        "timezone": "Europe/Berlin",
        "holidays": "DE",
        "param.tier": "tier2",
        "param.availability": "all_plans",
        "param.rollout": "staged",
    }
    values.update(changes)
    return values


def first_task(session: Session, launch_id: int, **where: object) -> Task:
    statement = select(Task).where(Task.launch_id == launch_id).order_by(Task.position)
    for name, value in where.items():
        statement = statement.where(getattr(Task, name) == value)
    task = session.scalars(statement.limit(1)).first()
    assert task is not None
    return task


def test_wizard_previews_then_creates(web_as: WebAs, people: People, session: Session) -> None:
    web = web_as(people.pm)
    preview = web.post(
        WIZARD, {**wizard_input(), "role.pmm": str(people.member.id), "action": "preview"}
    )
    body = preview.get_data(as_text=True)
    assert preview.status_code == 200
    assert "Plan for launch day Tue 4 May 2027" in body and "Tasks per team" in body
    assert session.scalar(select(func.count()).select_from(Launch)) == 0  # nothing saved yet
    back = web.post(WIZARD, {**wizard_input(), "action": "edit"})
    assert 'value="Orbit"' in back.get_data(as_text=True)
    created = web.post(
        WIZARD, {**wizard_input(), "role.pmm": str(people.member.id), "action": "create"}
    )
    assert created.status_code == 302
    fresh(session)
    launch = session.scalars(select(Launch)).one()
    assert launch.name == "Orbit" and launch.launch_date == date(2027, 5, 4)
    pmm_task = first_task(session, launch.id, role="pmm")
    assert pmm_task.assignee_id == people.member.id
    assert "Orbit" in web.text(created.headers["Location"])


def test_status_change_without_javascript(
    web_as: WebAs, people: People, make_launch: MakeLaunch, session: Session
) -> None:
    launch = make_launch()
    task = first_task(session, launch.id, team_id=people.lead.memberships[0].team_id)
    before = task.updated_at
    response = web_as(people.member).post(
        f"/launches/{launch.id}/tasks/{task.id}/status",
        {"status": "in_progress", "version": task.version, "next": f"/launches/{launch.id}/board"},
    )
    assert response.status_code == 302 and response.headers["Location"].endswith("/board")
    fresh(session)
    changed = session.get_one(Task, task.id)
    assert changed.status == "in_progress" and changed.updated_at != before
    actions = session.scalars(select(AuditEvent.action).where(AuditEvent.entity_id == task.id))
    assert "task.status_changed" in list(actions)


def test_status_change_answers_json_for_the_script(
    web_as: WebAs, people: People, make_launch: MakeLaunch, session: Session
) -> None:
    launch = make_launch()
    task = first_task(session, launch.id)
    url = f"/launches/{launch.id}/tasks/{task.id}/status"
    web = web_as(people.pm)
    ok = web.post(
        url, {"status": "done", "version": task.version}, headers={"Accept": "application/json"}
    )
    assert ok.status_code == 200 and ok.json["ok"] and ok.json["status"] == "done"
    stale = web.post(
        url, {"status": "todo", "version": task.version}, headers={"Accept": "application/json"}
    )
    assert stale.status_code == 409 and not stale.json["ok"]
    bad = web.post(
        url,
        {"status": "exploded", "version": ok.json["version"]},
        headers={"Accept": "application/json"},
    )
    assert bad.status_code == 400 and "Not a valid choice" in bad.json["message"]


def test_members_cannot_change_other_teams_tasks(
    web_as: WebAs, people: People, make_launch: MakeLaunch, session: Session
) -> None:
    launch = make_launch()
    sales = session.scalar(select(Team.id).where(Team.key == "sales"))
    task = first_task(session, launch.id, team_id=sales)
    url = f"/launches/{launch.id}/tasks/{task.id}/status"
    assert (
        web_as(people.member).post(url, {"status": "done", "version": task.version}).status_code
        == 403
    )
    assert (
        web_as(people.viewer).post(url, {"status": "done", "version": task.version}).status_code
        == 403
    )


def test_a_stale_task_edit_shows_what_changed(
    web_as: WebAs, people: People, make_launch: MakeLaunch, session: Session
) -> None:
    launch = make_launch()
    task = first_task(session, launch.id)
    seen = task.version
    set_status(session, task.id, "blocked", actor=people.admin, now=NOW)
    session.commit()
    response = web_as(people.pm).post(
        f"/launches/{launch.id}/tasks/{task.id}/notes",
        {"notes": "my careful notes", "version": seen},
    )
    body = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Someone else changed this" in body and "to blocked" in body
    assert "my careful notes" in body  # the input is kept
    fresh(session)
    assert session.get_one(Task, task.id).notes == ""


def test_reschedule_previews_then_applies(
    web_as: WebAs, people: People, make_launch: MakeLaunch, session: Session
) -> None:
    launch = make_launch()
    task = first_task(session, launch.id)
    url = f"/launches/{launch.id}/reschedule"
    web = web_as(people.pm)
    preview = web.post(
        url, {"new_date": "2027-03-16", "version": launch.version, "action": "preview"}
    )
    body = preview.get_data(as_text=True)
    assert preview.status_code == 200 and "task(s) move" in body and "Move launch day to" in body
    fresh(session)
    assert session.get_one(Launch, launch.id).launch_date == date(2027, 3, 2)
    applied = web.post(
        url, {"new_date": "2027-03-16", "version": launch.version, "action": "apply"}
    )
    assert applied.status_code == 302
    fresh(session)
    assert session.get_one(Launch, launch.id).launch_date == date(2027, 3, 16)
    moved = session.get_one(Task, task.id)
    assert moved.sequence == 1 and moved.updated_at != NOW


def test_a_stale_reschedule_shows_what_changed(
    web_as: WebAs, people: People, make_launch: MakeLaunch, session: Session
) -> None:
    launch = make_launch()
    seen = launch.version
    set_launch_status(
        session, launch.id, "draft", expected_version=None, actor=people.admin, now=NOW
    )
    session.commit()
    response = web_as(people.pm).post(
        f"/launches/{launch.id}/reschedule",
        {"new_date": "2027-03-16", "version": seen, "action": "apply"},
    )
    body = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "from scheduled to draft" in body and 'value="2027-03-16"' in body
    fresh(session)
    assert session.get_one(Launch, launch.id).launch_date == date(2027, 3, 2)


def test_launch_status_form(
    web_as: WebAs, people: People, make_launch: MakeLaunch, session: Session
) -> None:
    launch = make_launch()
    url = f"/launches/{launch.id}/status"
    web = web_as(people.pm)
    bad = web.post(url, {"status": "closed", "version": launch.version})
    assert bad.status_code == 400 and "Not a valid choice" in bad.get_data(as_text=True)
    ok = web.post(url, {"status": "launched", "version": launch.version})
    assert ok.status_code == 302
    stale = web.post(url, {"status": "closed", "version": launch.version})
    assert stale.status_code == 409 and "Someone else changed this" in stale.get_data(as_text=True)


def test_leads_sign_off_their_own_team_only(
    web_as: WebAs, people: People, make_launch: MakeLaunch, session: Session
) -> None:
    launch = make_launch()
    url = f"/launches/{launch.id}/signoff"
    page = web_as(people.lead).text(f"/launches/{launch.id}")
    assert "Sign off Marketing" in page and "Sign off Sales" not in page
    assert web_as(people.lead).post(url, {"team": "sales"}).status_code == 403
    assert web_as(people.pm).post(url, {"team": "marketing"}).status_code == 403
    assert web_as(people.lead).post(url, {"team": "no-such-team"}).status_code == 404
    assert web_as(people.lead).post(url, {"team": "marketing"}).status_code == 302
    fresh(session)
    assert session.scalar(select(func.count()).select_from(LaunchSignoff)) == 1
    assert "by marketing-lead" in web_as(people.viewer).text(f"/launches/{launch.id}")


def test_roles_remap_and_bad_person(
    web_as: WebAs, people: People, make_launch: MakeLaunch, session: Session
) -> None:
    launch = make_launch()
    url, seen = f"/launches/{launch.id}/roles", launch.version
    web = web_as(people.pm)
    bad = web.post(url, {"role": "pmm", "person": "999999", "version": seen})
    assert bad.status_code == 400 and "Not a valid choice" in bad.get_data(as_text=True)
    unknown = web.post(url, {"role": "astronaut", "person": "", "version": seen})
    assert unknown.status_code == 400 and "not a role of this launch" in unknown.get_data(
        as_text=True
    )
    ok = web.post(url, {"role": "pmm", "person": str(people.member.id), "version": seen})
    assert ok.status_code == 302
    fresh(session)
    assert first_task(session, launch.id, role="pmm").assignee_id == people.member.id
    stale = web.post(url, {"role": "pmm", "person": "", "version": seen})
    assert stale.status_code == 409


def test_task_detail_forms(
    web_as: WebAs, people: People, make_launch: MakeLaunch, session: Session
) -> None:
    launch = make_launch()
    task = first_task(session, launch.id)
    base = f"/launches/{launch.id}/tasks/{task.id}"
    web = web_as(people.pm)

    def version() -> int:
        fresh(session)
        return session.get_one(Task, task.id).version

    assert (
        web.post(f"{base}/title", {"title": "  A clearer title ", "version": version()}).status_code
        == 302
    )
    assert (
        web.post(f"{base}/notes", {"notes": "Check with legal", "version": version()}).status_code
        == 302
    )
    assert (
        web.post(
            f"{base}/assignee", {"person": str(people.member.id), "version": version()}
        ).status_code
        == 302
    )
    assert (
        web.post(
            f"{base}/due", {"due_date": "2027-02-01", "version": version(), "action": "pin"}
        ).status_code
        == 302
    )
    fresh(session)
    changed = session.get_one(Task, task.id)
    assert (changed.title, changed.notes, changed.assignee_id) == (
        "A clearer title",
        "Check with legal",
        people.member.id,
    )
    assert changed.pinned and changed.due_date == date(2027, 2, 1) and changed.sequence == 2
    assert web.post(f"{base}/due", {"version": version(), "action": "unpin"}).status_code == 302
    history = web.text(base)
    for phrase in (
        "renamed",
        "edited the notes",
        "gave “A clearer title” to",
        "pinned",
        "unpinned",
    ):
        assert phrase in history
