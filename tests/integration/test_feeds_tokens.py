"""Feed tokens: issued once, stored hashed, listed, revoked, rotated; links; the CLI."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from launchpad.cli import cli
from launchpad.config import Settings
from launchpad.models import FeedToken, Launch
from launchpad.services.errors import Forbidden, InvalidInput, NotFound
from launchpad.services.feed_cache import TokenState, record_fetch
from launchpad.services.feed_links import feed_links, subscriptions
from launchpad.services.feed_scopes import (
    FeedScope,
    ScopeFacts,
    parse_scope,
    scope_view,
    visible_scope,
)
from launchpad.services.feed_tokens import (
    create_feed_token,
    digest,
    list_feed_tokens,
    live_token,
    revoke_feed_token,
    rotate_feed_token,
)

AT = datetime(2027, 1, 10, 8, 0, tzinfo=UTC)
Invoke = Callable[..., Result]


@pytest.fixture
def comet(make_launch: Any) -> Launch:
    launch: Launch = make_launch()
    return launch


def test_a_token_has_256_random_bits_and_only_its_sha256_is_stored(
    org: Any, session: Session
) -> None:
    owner = org.leads["product"]
    issued = create_feed_token(session, owner, FeedScope("person", owner.id), label="", now=AT)
    session.commit()
    assert len(issued.secret) == 43  # 32 bytes, base64url without padding
    assert issued.token.token_hash == hashlib.sha256(issued.secret.encode()).hexdigest()
    rows = session.execute(text("SELECT * FROM feed_tokens")).all()
    assert issued.secret not in repr(rows)
    again = create_feed_token(session, owner, FeedScope("person", owner.id), label="", now=AT)
    assert again.secret != issued.secret  # several tokens per feed


def test_who_may_subscribe_to_what(org: Any, comet: Launch, session: Session) -> None:
    member, pm = org.members["sales"], org.pm
    allowed = [
        (member, FeedScope("person", member.id)),
        (member, FeedScope("team", member.memberships[0].team_id)),
        (member, FeedScope("launch", comet.id)),
        (pm, FeedScope("person", member.id)),
        (pm, FeedScope("team", org.members["support"].memberships[0].team_id)),
    ]
    for owner, scope in allowed:
        create_feed_token(session, owner, scope, label="", now=AT)
    refused = [
        FeedScope("person", pm.id),
        FeedScope("team", org.members["support"].memberships[0].team_id),
        FeedScope("launch", 999),
        FeedScope("nonsense", 1),
    ]
    for scope in refused:
        with pytest.raises(Forbidden):
            create_feed_token(session, member, scope, label="", now=AT)
    with pytest.raises(InvalidInput):
        create_feed_token(session, member, allowed[0][1], label="x" * 101, now=AT)


def test_scopes_are_parsed_from_the_command_line_spelling(org: Any, session: Session) -> None:
    owner = org.members["sales"]
    assert parse_scope(session, "person", owner, None) == FeedScope("person", owner.id)
    assert parse_scope(session, "launch:12", owner, "launch") == FeedScope("launch", 12, "launch")
    assert parse_scope(session, "team:sales", owner, None).kind == "team"
    with pytest.raises(NotFound):
        parse_scope(session, "team:nope", owner, None)
    for bad in ("team", "launch:x", "everything", "person:3"):
        with pytest.raises(InvalidInput):
            parse_scope(session, bad, owner, None)
    with pytest.raises(InvalidInput):
        parse_scope(session, "person", owner, "someday")


def test_list_revoke_and_rotate(org: Any, session: Session) -> None:
    owner = org.leads["product"]
    scope = FeedScope("person", owner.id, "launch")
    first = create_feed_token(session, owner, scope, label="phone", now=AT)
    record_fetch(
        session.connection(), TokenState.of(first.token), "tag", AT, "Google-Calendar-Importer", AT
    )
    session.commit()
    session.expire_all()
    [listed] = list_feed_tokens(session, owner)
    assert (listed.last_used_at, listed.last_client, listed.etag) == (
        AT,
        "Google-Calendar-Importer",
        "tag",
    )
    rotated = rotate_feed_token(session, first.token.id, actor=owner, now=AT)
    assert (rotated.token.scope_kind, rotated.token.phase, rotated.token.label) == (
        "person",
        "launch",
        "phone",
    )
    assert listed.revoked_at == AT
    with pytest.raises(NotFound):
        revoke_feed_token(session, rotated.token.id, actor=org.members["product"], now=AT)
    revoke_feed_token(session, rotated.token.id, actor=None, now=AT + timedelta(hours=1))
    assert [t.revoked_at for t in list_feed_tokens(session, None)] == [AT, AT + timedelta(hours=1)]
    titles = [s.title for s in subscriptions(session, list_feed_tokens(session, owner))]
    assert titles == ["Launchpad: Tasks of product-lead (launch)"] * 2


def test_use_is_recorded_coarsely(org: Any, session: Session) -> None:
    owner = org.pm
    issued = create_feed_token(session, owner, FeedScope("person", owner.id), label="", now=AT)
    token = issued.token
    record_fetch(session.connection(), TokenState.of(token), "a", AT, "Mozilla/5.0\x00 iPhone", AT)
    session.commit()
    session.refresh(token)
    assert token.last_client == "Mozilla/5.0 iPhone"
    record_fetch(
        session.connection(), TokenState.of(token), "a", AT, "Mozilla/5.0 iPhone", AT + timedelta(1)
    )
    session.commit()
    session.refresh(token)
    assert token.last_used_at == AT + timedelta(days=1)
    soon = AT + timedelta(days=1, minutes=5)
    record_fetch(session.connection(), TokenState.of(token), "a", AT, "Mozilla/5.0 iPhone", soon)
    session.commit()
    session.refresh(token)
    assert token.last_used_at == AT + timedelta(days=1)  # not written again within 10 minutes


def test_links_for_https_webcal_and_google() -> None:
    links = feed_links("https://lp.example.com/", "s3cr3t_-x", "comet-launch")
    assert links.https == "https://lp.example.com/cal/s3cr3t_-x/comet-launch.ics"
    assert links.webcal == "webcal://lp.example.com/cal/s3cr3t_-x/comet-launch.ics"
    google = urlsplit(links.google)
    assert (google.scheme, google.netloc, google.path) == (
        "https",
        "calendar.google.com",
        "/calendar/r",
    )
    assert parse_qs(google.query) == {"cid": [links.webcal]}
    assert "webcal%3A%2F%2Flp.example.com%2Fcal%2F" in links.google


@pytest.fixture
def invoke(settings: Settings, session: Session, monkeypatch: pytest.MonkeyPatch) -> Invoke:
    monkeypatch.setenv("LAUNCHPAD_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("LAUNCHPAD_INSTANCE_DIR", str(settings.instance_dir))
    monkeypatch.setenv("LAUNCHPAD_BASE_URL", "https://lp.example.com")

    def run(*args: str) -> Result:
        return CliRunner().invoke(cli, list(args), catch_exceptions=False)

    return run


def test_the_cli_creates_lists_rotates_and_revokes(
    invoke: Invoke, org: Any, comet: Launch, session: Session
) -> None:
    email = org.members["marketing"].email
    made = invoke(
        "feeds", "create", "--email", email, "--scope", "team:marketing", "--label", "mac"
    )
    assert made.exit_code == 0, made.output
    url = made.stdout.strip()
    assert url.startswith("https://lp.example.com/cal/") and url.endswith("/marketing-team.ics")
    as_json = invoke(
        "feeds", "create", "--email", email, "--scope", f"launch:{comet.id}", "--phase", "launch",
        "--json",
    )  # fmt: skip
    created = json.loads(as_json.stdout)
    assert created["webcal"].startswith("webcal://lp.example.com/cal/")
    assert created["google"].startswith("https://calendar.google.com/calendar/r?cid=webcal%3A")
    listed = json.loads(invoke("feeds", "list", "--email", email, "--json").stdout)
    assert [row["label"] for row in listed] == ["mac", ""]
    assert listed[1]["title"] == "Launchpad: Comet launch (launch)"
    assert all(url.split("/")[4] not in json.dumps(row) for row in listed)
    table = invoke("feeds", "list")
    assert table.exit_code == 0 and "Marketing team" in table.stdout
    rotated = invoke("feeds", "rotate", str(created["id"]))
    assert rotated.exit_code == 0 and rotated.stdout.strip().endswith("/comet-launch-launch.ics")
    revoked = invoke("feeds", "revoke", str(listed[0]["id"]))
    assert revoked.exit_code == 0
    session.expire_all()
    live = session.scalars(select(FeedToken).where(FeedToken.revoked_at.is_(None))).all()
    assert len(live) == 1


@pytest.mark.parametrize(
    "args",
    [
        ("feeds", "create", "--email", "nobody@example.com", "--scope", "person"),
        ("feeds", "create", "--email", "pm@example.com", "--scope", "galaxy"),
        ("feeds", "create", "--email", "sales@example.com", "--scope", "team:support"),
        ("feeds", "create", "--email", "pm@example.com", "--scope", "person", "--phase", "x"),
        ("feeds", "revoke", "999"),
        ("feeds", "rotate", "999"),
        ("feeds", "list", "--email", "nobody@example.com"),
    ],
)
def test_the_cli_exits_2_on_bad_input(invoke: Invoke, org: Any, args: tuple[str, ...]) -> None:
    result = invoke(*args)
    assert result.exit_code == 2, result.output
    assert "rror" in result.output


def test_a_poll_reads_the_same_access_as_a_page_in_one_statement(
    org: Any, comet: Launch, session: Session
) -> None:
    """Polls join the scope's facts onto the token row; pages read them kind by kind."""
    member, pm = org.members["sales"], org.pm
    own_team = member.memberships[0].team_id
    other_team = org.members["support"].memberships[0].team_id
    cases = {
        (member, FeedScope("person", member.id)): True,
        (member, FeedScope("person", pm.id)): False,
        (member, FeedScope("team", own_team, "launch")): True,
        (member, FeedScope("team", other_team)): False,
        (member, FeedScope("launch", comet.id)): True,
        (member, FeedScope("launch", 999_999)): False,
        (pm, FeedScope("person", member.id)): True,
        (pm, FeedScope("person", 999_999)): False,
        (pm, FeedScope("team", other_team)): True,
        (pm, FeedScope("team", 999_999)): False,
    }
    for number, ((owner, scope), allowed) in enumerate(cases.items()):
        secret = f"access-case-{number}"
        session.add(
            FeedToken(
                owner_id=owner.id,
                scope_kind=scope.kind,
                scope_id=scope.id,
                phase=scope.phase,
                label="",
                token_hash=digest(secret),
                created_at=AT,
            )
        )
        session.flush()
        token = live_token(session.connection(), secret)
        assert token is not None
        polled = scope_view(token.owner, scope, token.facts)
        assert polled == visible_scope(session, owner, scope), (owner.name, scope)
        assert (polled is not None) is allowed, (owner.name, scope)
    launch_view = scope_view(member, FeedScope("launch", comet.id), ScopeFacts())
    assert launch_view is None  # no facts read, no access: the rule never guesses
