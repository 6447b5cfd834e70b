"""Helpers for the web UI tests: people who can sign in, and a client that sends CSRF."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import redis
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event
from sqlalchemy.orm import Session
from werkzeug.test import TestResponse

from launchpad.extensions import get_state
from launchpad.models import User
from launchpad.services.people import add_to_team, create_user, ensure_team, hash_password

from .conftest import NOW, Org

PASSWORD = "correct horse battery"
_TOKEN_RE = re.compile(r'name="csrf_token"(?: type="hidden")? value="([^"]+)"')


def csrf_token(html: str) -> str:
    match = _TOKEN_RE.search(html)
    assert match, "the page has no CSRF token"
    return match.group(1)


def fresh(session: Session) -> None:
    """See what the app committed: end the test's snapshot and forget loaded values."""
    session.rollback()
    session.expire_all()


class Web:
    """A test client signed in as one person; `post` fetches a CSRF token first."""

    def __init__(self, client: FlaskClient, user: User | None) -> None:
        self.client = client
        self.user = user
        self._token: str | None = None

    def get(self, url: str, **kwargs: Any) -> TestResponse:
        return self.client.get(url, **kwargs)

    def token(self) -> str:
        if self._token is None:
            page = "/sign-in" if self.user is None else "/account/password"
            self._token = csrf_token(self.client.get(page).get_data(as_text=True))
        return self._token

    def post(self, url: str, data: dict[str, Any] | None = None, **kwargs: Any) -> TestResponse:
        body = {"csrf_token": self.token(), **(data or {})}
        return self.client.post(url, data=body, **kwargs)

    def text(self, url: str) -> str:
        response = self.get(url)
        assert response.status_code == 200, (url, response.status_code)
        return response.get_data(as_text=True)


@dataclass
class People:
    """One signed-in-able person per role; `lead` leads marketing, `member` is in it."""

    admin: User
    pm: User
    lead: User
    member: User
    outsider: User
    viewer: User


@pytest.fixture(name="people")
def people_fixture(session: Session, org: Org) -> People:
    digest = hash_password(PASSWORD)
    made = {}
    for name, role in (("admin", "admin"), ("outsider", "member"), ("viewer", "viewer")):
        made[name] = create_user(
            session,
            email=f"{name}@example.com",
            password=None,
            role=role,
            now=NOW,
            name=name.title(),
        )
        made[name].password_hash = digest
    for user in (org.pm, org.leads["marketing"], org.members["marketing"]):
        user.password_hash = digest
    add_to_team(session, made["outsider"], ensure_team(session, "legal", NOW))
    session.commit()
    return People(
        made["admin"],
        org.pm,
        org.leads["marketing"],
        org.members["marketing"],
        made["outsider"],
        made["viewer"],
    )


@pytest.fixture(name="web_as")
def web_as_fixture(
    app: Flask, people: People, redis_conn: redis.Redis
) -> Callable[[User | None], Web]:
    """`web_as(user)`: a fresh client signed in as `user` (None: a visitor)."""

    def sign_in(user: User | None) -> Web:
        client = app.test_client()
        web = Web(client, None)
        if user is None:
            return web
        response = web.post("/sign-in", {"email": user.email, "password": PASSWORD})
        assert response.status_code == 302, response.get_data(as_text=True)
        web.user, web._token = user, None
        return web

    return sign_in


@pytest.fixture(name="count_queries")
def count_queries_fixture(app: Flask) -> Iterator[Callable[[Callable[[], object]], int]]:
    """`count_queries(action)`: the SQL statements `action` sends."""
    engine = get_state(app).engine
    counter = {"n": 0}

    def on_execute(*_args: Any) -> None:
        counter["n"] += 1

    def count(action: Callable[[], object]) -> int:
        counter["n"] = 0
        action()
        return counter["n"]

    event.listen(engine, "before_cursor_execute", on_execute)
    yield count
    event.remove(engine, "before_cursor_execute", on_execute)
