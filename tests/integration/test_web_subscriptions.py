"""Calendar subscriptions and API tokens pages: made, shown once, rotated and revoked."""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import urlsplit

from sqlalchemy import select
from sqlalchemy.orm import Session

from launchpad.models import ApiToken, FeedToken, User

from .conftest import MakeLaunch
from .web_support import People, Web, fresh, people_fixture, web_as_fixture  # noqa: F401  (fixtures)

WebAs = Callable[[User | None], Web]
_FEED = re.compile(r'value="(https?://[^"]+/cal/[^"]+\.ics)"')
_SECRET = re.compile(r'value="(lp_[^"]+)"')


def feed_path(html: str) -> str:
    """The path of the one https:// feed address on the page."""
    found = _FEED.findall(html)
    assert len(found) == 1, found
    return urlsplit(found[0]).path


def subscribe(web: Web, scope: str, label: str = "Phone", phase: str = "") -> str:
    response = web.post("/account/calendars", {"scope": scope, "phase": phase, "label": label})
    body = response.get_data(as_text=True)
    assert response.status_code == 200, body
    assert "webcal://" in body and "https://calendar.google.com/calendar/r?cid=webcal" in body
    assert "only time it is shown" in body
    return feed_path(body)


def token_id(session: Session, owner: User) -> int:
    fresh(session)
    tokens = session.scalars(select(FeedToken).where(FeedToken.owner_id == owner.id)).all()
    return tokens[-1].id


def test_person_and_team_feeds_are_made_and_shown_once(web_as: WebAs, people: People) -> None:
    web = web_as(people.lead)
    page = web.text("/account/calendars")
    assert 'value="team:marketing"' in page and 'value="team:sales"' not in page
    mine = subscribe(web, "person", label="Work phone")
    team = subscribe(web, "team:marketing", label="Team", phase="launch")
    for path in (mine, team):
        assert web.get(path).status_code == 200
    listing = web.text("/account/calendars")
    assert "/cal/" not in listing and "webcal://" not in listing  # never shown again
    assert "Work phone" in listing and "Marketing team (launch)" in listing


def test_launch_feed_from_the_select(
    web_as: WebAs, people: People, make_launch: MakeLaunch
) -> None:
    launch = make_launch()
    web = web_as(people.member)
    assert f'value="launch:{launch.id}"' in web.text("/account/calendars")
    assert web.get(subscribe(web, f"launch:{launch.id}")).status_code == 200


def test_revoke_and_rotate(web_as: WebAs, people: People, session: Session) -> None:
    web = web_as(people.member)
    first = subscribe(web, "person")
    revoked = web.post(f"/account/calendars/{token_id(session, people.member)}/revoke")
    assert revoked.status_code == 302
    assert web.get(first).status_code == 404
    assert "Revoked" in web.text("/account/calendars")

    old = subscribe(web, "person", label="Laptop")
    rotated = web.post(f"/account/calendars/{token_id(session, people.member)}/rotate")
    assert rotated.status_code == 200
    new = feed_path(rotated.get_data(as_text=True))
    assert new != old
    assert web.get(new).status_code == 200 and web.get(old).status_code == 404


def test_someone_elses_token_is_not_found(web_as: WebAs, people: People, session: Session) -> None:
    subscribe(web_as(people.member), "person")
    theirs = token_id(session, people.member)
    other = web_as(people.outsider)
    assert other.post(f"/account/calendars/{theirs}/revoke").status_code == 404
    assert other.post(f"/account/calendars/{theirs}/rotate").status_code == 404


def test_bad_scope_is_refused_with_a_message(
    web_as: WebAs, people: People, session: Session
) -> None:
    web = web_as(people.outsider)  # in legal, not in marketing
    refused = web.post("/account/calendars", {"scope": "team:marketing", "label": "x"})
    assert refused.status_code == 400
    assert "You may not subscribe to that feed." in refused.get_data(as_text=True)
    odd = web.post("/account/calendars", {"scope": "planet:mars"})
    assert odd.status_code == 400 and "is not person" in odd.get_data(as_text=True)
    long = web.post("/account/calendars", {"scope": "person", "label": "x" * 101})
    assert long.status_code == 400 and "/cal/" not in long.get_data(as_text=True)
    fresh(session)
    assert session.scalars(select(FeedToken)).all() == []


def test_forms_need_csrf(web_as: WebAs, people: People, session: Session) -> None:
    web = web_as(people.member)
    for url in ("/account/calendars", "/account/tokens"):
        assert web.client.post(url, data={"scope": "person", "label": "x"}).status_code == 400
    fresh(session)
    assert session.scalars(select(FeedToken)).all() == []
    assert session.scalars(select(ApiToken)).all() == []


def test_api_token_is_shown_once_works_and_can_be_revoked(
    web_as: WebAs, people: People, session: Session
) -> None:
    web = web_as(people.member)
    made = web.post("/account/tokens", {"label": "Script", "expires_days": "30"})
    body = made.get_data(as_text=True)
    assert made.status_code == 200 and "only time it is shown" in body
    secret = _SECRET.findall(body)[0]
    headers = {"Authorization": f"Bearer {secret}"}
    assert web.client.get("/api/v1/launches", headers=headers).status_code == 200
    listing = web.text("/account/tokens")
    assert secret not in listing and "Script" in listing and secret[:10] in listing
    fresh(session)
    token = session.scalars(select(ApiToken).where(ApiToken.user_id == people.member.id)).one()
    assert token.read_only is False and token.expires_at is not None
    assert web.post(f"/account/tokens/{token.id}/revoke").status_code == 302
    assert web.client.get("/api/v1/launches", headers=headers).status_code == 401
    assert web_as(people.outsider).post(f"/account/tokens/{token.id}/revoke").status_code == 404


def test_api_token_expiry_is_checked(web_as: WebAs, people: People) -> None:
    refused = web_as(people.member).post("/account/tokens", {"label": "x", "expires_days": "0"})
    assert refused.status_code == 400 and "give 1 to 3650 days" in refused.get_data(as_text=True)


def test_a_viewer_uses_both_pages(web_as: WebAs, people: People) -> None:
    web = web_as(people.viewer)
    assert web.get(subscribe(web, "person")).status_code == 200
    made = web.post("/account/tokens", {"label": "Read", "read_only": "y"})
    assert made.status_code == 200 and _SECRET.findall(made.get_data(as_text=True))
    home = web.text("/account/tokens")
    assert 'href="/account/calendars"' in home and "Read-only" in home
