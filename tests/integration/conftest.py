"""Factories for launches, people and teams (integration tests share them)."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from launchpad.broker import stop_embedded_redis
from launchpad.models import Launch, User
from launchpad.services.api_tokens import create_token
from launchpad.services.launch_planning import NewLaunch, create_launch
from launchpad.services.people import add_to_team, create_user, ensure_team

REPO_TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
NOW = datetime(2027, 1, 4, 9, 0, tzinfo=UTC)


@pytest.fixture
def instance_dir() -> Iterator[Path]:
    """A short instance directory (Unix socket paths are limited); its embedded Redis
    server, if one was started there, is stopped and the directory removed afterwards."""
    directory = Path(tempfile.mkdtemp(prefix="lp-"))
    try:
        yield directory
    finally:
        stop_embedded_redis(directory)
        shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture
def templates_dir() -> Path:
    return REPO_TEMPLATES


@pytest.fixture
def now() -> datetime:
    return NOW


@dataclass
class Org:
    """A small organisation: a lead and a member in each core team, plus a PM."""

    pm: User
    leads: dict[str, User]
    members: dict[str, User]


@pytest.fixture
def org(session: Session) -> Org:
    pm = create_user(session, email="pm@example.com", password=None, role="pm", now=NOW)
    leads, members = {}, {}
    for team_key in ("product", "marketing", "sales", "support", "engineering"):
        team = ensure_team(session, team_key, NOW)
        lead = create_user(
            session, email=f"{team_key}-lead@example.com", password=None, role="member", now=NOW
        )
        member = create_user(
            session, email=f"{team_key}@example.com", password=None, role="member", now=NOW
        )
        add_to_team(session, lead, team, lead=True)
        add_to_team(session, member, team)
        leads[team_key], members[team_key] = lead, member
    session.commit()
    return Org(pm, leads, members)


MakeLaunch = Callable[..., Launch]


@pytest.fixture
def make_launch(session: Session, templates_dir: Path, org: Org) -> MakeLaunch:
    def factory(**overrides: Any) -> Launch:
        values: dict[str, Any] = {
            "template_key": "feature-release",
            "name": "Comet",
            "launch_date": date(2027, 3, 2),
            "timezone": "Europe/Berlin",
            "holidays": "DE",
        }
        values.update(overrides)
        launch = create_launch(session, templates_dir, NewLaunch(**values), actor=org.pm, now=NOW)
        session.commit()
        return launch

    return factory


# --- calendar feeds (issue 5) ----------------------------------------------------------


@dataclass(frozen=True)
class IssuedFeed:
    id: int
    secret: str

    def path(self, slug: str = "feed", query: str = "") -> str:
        return f"/cal/{self.secret}/{slug}.ics{query}"


IssueFeed = Callable[..., IssuedFeed]


@pytest.fixture
def issue_feed(session: Session) -> IssueFeed:
    """A committed feed token: `issue_feed(owner, "team:marketing", phase=None)`."""
    from launchpad.services.feed_scopes import parse_scope
    from launchpad.services.feed_tokens import create_feed_token

    def issue(owner: User, scope: str = "person", phase: str | None = None) -> IssuedFeed:
        parsed = parse_scope(session, scope, owner, phase)
        issued = create_feed_token(session, owner, parsed, label="test", now=NOW)
        session.commit()
        return IssuedFeed(issued.token.id, issued.secret)

    return issue


ReadCalendar = Callable[[bytes], list[dict[str, Any]]]


@pytest.fixture
def read_calendar() -> ReadCalendar:
    """Parse a feed with icalendar and with vobject; both must read the same."""
    return calendar_components


def calendar_components(body: bytes) -> list[dict[str, Any]]:
    """Every VEVENT/VTODO as icalendar reads it, checked against vobject's reading."""
    import icalendar
    import vobject

    def plain(value: Any) -> Any:
        return value.dt if hasattr(value, "dt") else value

    ours = [
        {
            "kind": c.name,
            "uid": str(c["UID"]),
            "summary": str(c["SUMMARY"]),
            "description": str(c["DESCRIPTION"]),
            "sequence": int(c["SEQUENCE"]),
            "start": plain(c.get("DTSTART") or c.get("DUE")),
            "stamp": plain(c["DTSTAMP"]),
            "url": str(c["URL"]),
            "categories": [str(v) for v in c["CATEGORIES"].cats],
        }
        for c in icalendar.Calendar.from_ical(body).walk()
        if c.name in ("VEVENT", "VTODO")
    ]
    theirs = [
        {
            "kind": c.name,
            "uid": c.uid.value,
            "summary": c.summary.value,
            "description": c.description.value,
            "sequence": int(c.sequence.value),
            "start": (c.dtstart if "dtstart" in c.contents else c.due).value,
            "stamp": c.dtstamp.value,
            "url": c.url.value,
            "categories": list(c.categories.value),
        }
        for c in vobject.readOne(body.decode("utf-8")).getChildren()
        if c.name in ("VEVENT", "VTODO")
    ]
    assert ours == theirs
    return ours


# --- REST API -----------------------------------------------------------------------

Call = Callable[..., Any]


def token_for(session: Session, user: User, **options: Any) -> str:
    options.setdefault("read_only", False)
    options.setdefault("expires_days", None)
    issued = create_token(session, user, label="tests", now=datetime.now(UTC), **options)
    session.commit()
    return issued.secret


@pytest.fixture
def api(client: FlaskClient, session: Session, org: Org) -> Call:
    """`api(method, path, json=..., headers=..., as_=user)` with a fresh token per user."""
    tokens: dict[int, str] = {}

    def call(method: str, path: str, *, as_: User | None = None, **kwargs: Any) -> Any:
        user = as_ or org.pm
        if user.id not in tokens:
            tokens[user.id] = token_for(session, user)
        headers = {"Authorization": f"Bearer {tokens[user.id]}", **kwargs.pop("headers", {})}
        return client.open(path, method=method, headers=headers, **kwargs)

    return call


def complete_task(api: Call, task: dict[str, Any]) -> Any:
    """PATCH a task, as an API list showed it, to done (If-Match: the version it had)."""
    return api(
        "PATCH",
        f"/api/v1/tasks/{task['id']}",
        json={"status": "done"},
        headers={"If-Match": f'"task-{task["id"]}-v{task["version"]}"'},
    )
