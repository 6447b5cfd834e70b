"""Signing in and out, throttling, passwords, invitations, CSRF, headers and cookies."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from launchpad.auth.sign_in import WRONG
from launchpad.models import AuditEvent, Invitation, User
from launchpad.services.people import password_matches

from .web_support import PASSWORD, People, Web, csrf_token, fresh, people_fixture, web_as_fixture  # noqa: F401  (fixtures)

WebAs = Callable[[User | None], Web]


def test_pages_need_sign_in_and_come_back_after_it(web_as: WebAs, people: People) -> None:
    visitor = web_as(None)
    response = visitor.get("/my-tasks")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/sign-in?next=/my-tasks")
    signed = visitor.post(
        "/sign-in?next=/my-tasks", {"email": people.pm.email, "password": PASSWORD}
    )
    assert signed.status_code == 302 and signed.headers["Location"] == "/my-tasks"


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/", "/\\evil", "javascript:x"]
)
def test_next_never_leaves_the_site(web_as: WebAs, people: People, target: str) -> None:
    visitor = web_as(None)
    response = visitor.post(
        f"/sign-in?next={target}", {"email": people.pm.email, "password": PASSWORD}
    )
    assert response.headers["Location"] == "/"


def test_wrong_password_and_unknown_email_get_the_same_answer(
    web_as: WebAs, people: People
) -> None:
    visitor = web_as(None)
    wrong = visitor.post("/sign-in", {"email": people.pm.email, "password": "nope nope nope"})
    unknown = visitor.post(
        "/sign-in", {"email": "nobody@example.com", "password": "nope nope nope"}
    )
    assert wrong.status_code == unknown.status_code == 401
    for response in (wrong, unknown):
        body = response.get_data(as_text=True)
        assert WRONG in body
        assert 'value="' in body and "nope nope nope" not in body  # never echo a password


def test_failed_sign_ins_are_throttled_per_account(web_as: WebAs, people: People) -> None:
    visitor = web_as(None)
    for _ in range(5):
        visitor.post("/sign-in", {"email": people.pm.email, "password": "wrong password!"})
    locked = visitor.post("/sign-in", {"email": people.pm.email, "password": PASSWORD})
    assert locked.status_code == 401
    assert "Too many failed sign-ins" in locked.get_data(as_text=True)
    other = web_as(None).post("/sign-in", {"email": people.viewer.email, "password": PASSWORD})
    assert other.status_code == 302  # another account from the same address still works


def test_unknown_accounts_are_throttled_alike(web_as: WebAs, people: People) -> None:
    visitor = web_as(None)
    for _ in range(5):
        visitor.post("/sign-in", {"email": "ghost@example.com", "password": "wrong password!"})
    locked = visitor.post("/sign-in", {"email": "ghost@example.com", "password": "wrong password!"})
    assert "Too many failed sign-ins" in locked.get_data(as_text=True)


def test_failed_sign_ins_are_throttled_per_address(web_as: WebAs, people: People) -> None:
    visitor = web_as(None)
    for n in range(30):
        visitor.post("/sign-in", {"email": f"guess{n}@example.com", "password": "wrong password!"})
    locked = visitor.post("/sign-in", {"email": people.pm.email, "password": PASSWORD})
    assert "Too many failed sign-ins" in locked.get_data(as_text=True)


def test_a_right_password_resets_the_account_count(web_as: WebAs, people: People) -> None:
    for _ in range(4):
        web_as(None).post("/sign-in", {"email": people.pm.email, "password": "wrong password!"})
    assert (
        web_as(None).post("/sign-in", {"email": people.pm.email, "password": PASSWORD}).status_code
        == 302
    )
    for _ in range(4):
        web_as(None).post("/sign-in", {"email": people.pm.email, "password": "wrong password!"})
    assert (
        web_as(None).post("/sign-in", {"email": people.pm.email, "password": PASSWORD}).status_code
        == 302
    )


def test_deactivated_people_cannot_sign_in_and_are_signed_out(
    web_as: WebAs, people: People, session: Session
) -> None:
    web = web_as(people.pm)
    people.pm.active = False
    session.commit()
    assert web.get("/my-tasks").status_code == 302
    response = web_as(None).post("/sign-in", {"email": people.pm.email, "password": PASSWORD})
    assert response.status_code == 401


def test_sign_out_needs_csrf_and_ends_the_session(web_as: WebAs, people: People) -> None:
    web = web_as(people.pm)
    assert web.client.post("/sign-out").status_code == 400
    assert web.post("/sign-out").status_code == 302
    assert web.get("/").status_code == 302


def test_every_form_rejects_a_missing_or_wrong_csrf_token(web_as: WebAs, people: People) -> None:
    web = web_as(people.admin)
    for url in ("/account/password", "/people/new", "/teams/new", "/launches/new/feature-release"):
        assert web.client.post(url, data={}).status_code == 400
        assert web.client.post(url, data={"csrf_token": "forged"}).status_code == 400
    page = web.client.post("/sign-in", data={"email": "a@b.c", "password": "x"})
    assert page.status_code == 400 and "expired" in page.get_data(as_text=True)


def test_password_change_signs_out_other_browsers(
    web_as: WebAs, people: People, session: Session
) -> None:
    here, elsewhere = web_as(people.pm), web_as(people.pm)
    bad = here.post(
        "/account/password", {"current_password": "wrong", "new_password": "short", "confirm": "x"}
    )
    assert bad.status_code == 400
    body = bad.get_data(as_text=True)
    assert "at least 10" in body or "between 10" in body
    ok = here.post(
        "/account/password",
        {
            "current_password": PASSWORD,
            "new_password": "a brand new secret",
            "confirm": "a brand new secret",
        },
    )
    assert ok.status_code == 302
    assert here.get("/my-tasks").status_code == 200
    assert elsewhere.get("/my-tasks").status_code == 302
    fresh(session)
    assert password_matches(session.get_one(User, people.pm.id), "a brand new secret")
    events = session.scalars(select(AuditEvent.action).where(AuditEvent.entity_id == people.pm.id))
    assert "person.password_changed" in list(events)


def test_wrong_current_password_is_shown_next_to_its_field(web_as: WebAs, people: People) -> None:
    response = web_as(people.pm).post(
        "/account/password",
        {
            "current_password": "not it at all",
            "new_password": "a brand new secret",
            "confirm": "a brand new secret",
        },
    )
    assert response.status_code == 400
    assert "this is not your current password" in response.get_data(as_text=True)


def test_invitation_link_works_once(web_as: WebAs, people: People, session: Session) -> None:
    admin = web_as(people.admin)
    added = admin.post(
        "/people/new", {"email": "New.Person@example.com", "name": "New Person", "role": "member"}
    )
    assert added.status_code == 200
    link = (
        added.get_data(as_text=True)
        .split('id="invite-link" class="copy" readonly value="')[1]
        .split('"')[0]
    )
    path = link.removeprefix("http://127.0.0.1:5000")
    assert session.scalar(select(Invitation.token_hash)) not in link  # only the hash is stored
    invited = web_as(None)
    page = invited.get(path)
    assert page.status_code == 200 and "new.person@example.com" in page.get_data(as_text=True)
    token = csrf_token(page.get_data(as_text=True))
    mismatch = invited.client.post(
        path, data={"csrf_token": token, "password": "a long password", "confirm": "other"}
    )
    assert mismatch.status_code == 400
    done = invited.client.post(
        path,
        data={"csrf_token": token, "password": "a long password", "confirm": "a long password"},
    )
    assert done.status_code == 302
    assert invited.get("/my-tasks").status_code == 200
    assert web_as(None).get(path).status_code == 404


def test_unknown_invitation_links_are_404(web_as: WebAs, people: People) -> None:
    assert web_as(None).get("/invitations/not-a-real-token").status_code == 404


def test_security_headers_and_cookie_flags(app: Flask, web_as: WebAs, people: People) -> None:
    visitor = web_as(None)
    response = visitor.get("/sign-in")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "style-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["Cache-Control"] == "no-store"
    signed = visitor.post("/sign-in", {"email": people.pm.email, "password": PASSWORD})
    cookie = signed.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert app.config["SESSION_COOKIE_SECURE"] is False  # http base URL in tests


def test_pages_have_no_inline_script_or_style(
    web_as: WebAs, people: People, make_launch: object
) -> None:
    make_launch()  # type: ignore[operator]
    web = web_as(people.pm)
    for url in (
        "/",
        "/launches/1",
        "/launches/1/board",
        "/my-tasks",
        "/templates",
        "/launches/new/feature-release",
    ):
        body = web.text(url)
        assert "<script>" not in body and "<style" not in body and " style=" not in body
        assert 'src="http' not in body and 'href="http' not in body  # no CDN


def test_secure_cookies_behind_https(settings: object, database_url: str) -> None:
    from dataclasses import replace

    from launchpad import create_app

    app = create_app(replace(settings, base_url="https://launchpad.example.com"))  # type: ignore[type-var]
    assert app.config["SESSION_COOKIE_SECURE"] and app.config["REMEMBER_COOKIE_SECURE"]
    response = app.test_client().get("/sign-in")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


def test_now_is_aware() -> None:
    assert datetime.now(UTC).tzinfo is UTC


def test_people_set_their_own_time_zone(web_as: WebAs, people: People, session: Session) -> None:
    web = web_as(people.pm)
    page = web.text("/account")
    assert re.search(r'<option selected value="UTC">', page), "UTC until they choose"
    assert 'href="/account"' in page  # the header links here
    refused = web.post("/account", {"timezone": "Mars/Olympus_Mons"})
    assert refused.status_code == 400
    fresh(session)
    assert session.get_one(User, people.pm.id).timezone == "UTC"
    saved = web.post("/account", {"timezone": "America/New_York"})
    assert saved.status_code == 302
    fresh(session)
    assert session.get_one(User, people.pm.id).timezone == "America/New_York"
    assert "Times are shown in America/New_York" in web.text("/account")
    events = session.scalars(select(AuditEvent.action).where(AuditEvent.entity_id == people.pm.id))
    assert "person.timezone_changed" in list(events)
    assert web_as(None).get("/account").status_code == 302  # sign in first
    assert web.client.post("/account", data={"timezone": "UTC"}).status_code == 400  # no CSRF
