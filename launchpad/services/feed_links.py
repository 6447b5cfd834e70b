"""The three ways to hand a feed to a calendar app, and what a subscriptions page lists.

`https://` works everywhere by copy and paste; `webcal://` makes Apple Calendar and
Outlook desktop offer to subscribe on a click; Google Calendar only subscribes through
its own "add by URL" page, which takes the webcal address in its `cid` parameter.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import quote

from sqlalchemy.orm import Session

from launchpad.models import FeedToken, User
from launchpad.services.feed_scopes import FeedScope, visible_scope
from launchpad.services.feed_tokens import IssuedFeedToken

GOOGLE_ADD_BY_URL = "https://calendar.google.com/calendar/r?cid="


@dataclass(frozen=True, slots=True)
class FeedLinks:
    https: str
    webcal: str
    google: str


@dataclass(frozen=True, slots=True)
class Subscription:
    """One token as a subscriptions page shows it (never its secret)."""

    id: int
    label: str
    title: str | None  # None: its owner may no longer see the feed, so it answers 404
    scope_kind: str
    phase: str | None
    created_at: datetime
    last_used_at: datetime | None
    last_client: str | None
    revoked_at: datetime | None


def feed_links(base_url: str, secret: str, slug: str) -> FeedLinks:
    """Links for a token that was just issued (the secret exists only at that moment)."""
    https = f"{base_url.rstrip('/')}/cal/{secret}/{slug}.ics"
    webcal = "webcal://" + https.split("://", 1)[1]
    return FeedLinks(https, webcal, GOOGLE_ADD_BY_URL + quote(webcal, safe=""))


def issued_links(session: Session, issued: IssuedFeedToken, base_url: str) -> dict[str, Any]:
    """What the CLI, the API and the page show once, right after a token is issued."""
    token = issued.token
    links = feed_links(base_url, issued.secret, feed_slug(session, token.owner, token))
    return {
        "id": token.id,
        "scope": f"{token.scope_kind}:{token.scope_id}",
        "phase": token.phase,
        "label": token.label,
        "url": links.https,
        "webcal": links.webcal,
        "google": links.google,
    }


def feed_slug(session: Session, owner: User, token: FeedToken) -> str:
    """The cosmetic last part of a feed URL, e.g. `comet-launch`."""
    view = visible_scope(session, owner, _scope(token))
    return view.slug if view else "feed"


def subscriptions(session: Session, tokens: list[FeedToken]) -> list[Subscription]:
    """Tokens with the feed title their owner sees now (one access check per token)."""
    listed = []
    for token in tokens:
        view = visible_scope(session, token.owner, _scope(token))
        listed.append(
            Subscription(
                token.id,
                token.label,
                view.title if view else None,
                token.scope_kind,
                token.phase,
                token.created_at,
                token.last_used_at,
                token.last_client,
                token.revoked_at,
            )
        )
    return listed


def _scope(token: FeedToken) -> FeedScope:
    return FeedScope(token.scope_kind, token.scope_id, token.phase)
