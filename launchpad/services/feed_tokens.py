"""Feed tokens: 256 random bits shown once, stored as SHA-256, revocable and rotatable.

A calendar app keeps the URL for years and sends it in the clear to whoever hosts the
app's sync, so the token is the only secret and the database never holds it.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, and_, bindparam, select, update
from sqlalchemy.orm import Session

from launchpad.models import FeedToken, Launch, Membership, Team, User
from launchpad.services.errors import Forbidden, InvalidInput, NotFound
from launchpad.services.feed_entries import LaunchDay
from launchpad.services.feed_scopes import (
    LAUNCH_DAY_COLUMNS,
    FeedScope,
    ScopeFacts,
    visible_scope,
)

TOKEN_BYTES = 32
MAX_LABEL = 100


@dataclass(frozen=True, slots=True)
class IssuedFeedToken:
    token: FeedToken
    secret: str  # the only time the plain token exists


@dataclass(frozen=True, slots=True)
class FeedOwner:
    """What the access check needs of a token's owner (``visible_scope``)."""

    id: int
    name: str
    role: str
    active: bool


@dataclass(frozen=True, slots=True)
class LiveFeedToken:
    """A live token as a fetch needs it: scope, bookkeeping state and owner, no ORM entity."""

    id: int
    scope_kind: str
    scope_id: int
    phase: str | None
    etag: str | None
    etag_changed_at: datetime | None
    last_used_at: datetime | None
    last_client: str | None
    owner: FeedOwner
    facts: ScopeFacts  # what the access rule needs of the scope, read in the same statement


_tokens, _users = FeedToken.__table__.c, User.__table__.c
_person = User.__table__.alias("scoped_person")
_members, _teams = Membership.__table__.c, Team.__table__.c
_TOKEN_COLUMNS = (
    _tokens.id,
    _tokens.scope_kind,
    _tokens.scope_id,
    _tokens.phase,
    _tokens.etag,
    _tokens.etag_changed_at,
    _tokens.last_used_at,
    _tokens.last_client,
)
# One statement per poll for the token, its owner and its scope's facts: each scope table
# is joined only for its own kind of token, by primary or unique key. Plain Core columns:
# rows of tuples, no entity loading, compiled once and cached.
_LIVE_FEED_TOKEN = (
    select(
        *_TOKEN_COLUMNS,
        _tokens.token_hash,
        _users.id,
        _users.name,
        _users.role,
        _users.active,
        _person.c.name,
        _teams.name,
        _members.id,
        *LAUNCH_DAY_COLUMNS,
    )
    .select_from(FeedToken.__table__)
    .join(User.__table__, _users.id == _tokens.owner_id)
    .outerjoin(_person, and_(_tokens.scope_kind == "person", _person.c.id == _tokens.scope_id))
    .outerjoin(Team.__table__, and_(_tokens.scope_kind == "team", _teams.id == _tokens.scope_id))
    .outerjoin(
        Membership.__table__,
        and_(
            _tokens.scope_kind == "team",
            _members.team_id == _tokens.scope_id,
            _members.user_id == _tokens.owner_id,
        ),
    )
    .outerjoin(
        Launch.__table__, and_(_tokens.scope_kind == "launch", Launch.id == _tokens.scope_id)
    )
    .where(_tokens.token_hash == bindparam("token_hash"), _tokens.revoked_at.is_(None))
)


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


def create_feed_token(
    session: Session, owner: User, scope: FeedScope, *, label: str, now: datetime
) -> IssuedFeedToken:
    """A new subscription URL for a scope `owner` may see; the secret is returned once."""
    if len(label) > MAX_LABEL:
        raise InvalidInput({"label": f"keep the label under {MAX_LABEL} characters"})
    if visible_scope(session, owner, scope) is None:
        raise Forbidden(f"subscribe to this {scope.kind} feed")
    secret = secrets.token_urlsafe(TOKEN_BYTES)
    token = FeedToken(
        owner_id=owner.id,
        scope_kind=scope.kind,
        scope_id=scope.id,
        phase=scope.phase,
        label=label.strip(),
        token_hash=digest(secret),
        created_at=now,
    )
    session.add(token)
    session.flush()
    return IssuedFeedToken(token, secret)


def list_feed_tokens(session: Session, owner: User | None) -> list[FeedToken]:
    """The owner's tokens (everyone's with None), newest last, revoked ones included."""
    query = select(FeedToken).order_by(FeedToken.id)
    if owner is not None:
        query = query.where(FeedToken.owner_id == owner.id)
    return list(session.scalars(query))


def revoke_feed_token(
    session: Session, token_id: int, *, actor: User | None, now: datetime
) -> FeedToken:
    """Stop a token at once; `actor` None is the operator at the command line."""
    token = session.get(FeedToken, token_id)
    if token is None or not (actor is None or actor.role == "admin" or actor.id == token.owner_id):
        raise NotFound("feed token", token_id)
    token.revoked_at = token.revoked_at or now
    session.flush()
    return token


def rotate_feed_token(
    session: Session, token_id: int, *, actor: User | None, now: datetime
) -> IssuedFeedToken:
    """A new URL for the same feed (same UIDs, so calendars keep their events)."""
    old = revoke_feed_token(session, token_id, actor=actor, now=now)
    scope = FeedScope(old.scope_kind, old.scope_id, old.phase)
    return create_feed_token(session, old.owner, scope, label=old.label, now=now)


def revoke_tokens_of(session: Session, user_id: int, now: datetime) -> None:
    """Revoke every live token a person owns (they were deactivated)."""
    session.execute(
        update(FeedToken)
        .where(FeedToken.owner_id == user_id, FeedToken.revoked_at.is_(None))
        .values(revoked_at=now)
        .execution_options(synchronize_session="fetch")
    )


def live_token(connection: Connection, secret: str) -> LiveFeedToken | None:
    """The live token for `secret`: always one hash and one indexed lookup by the hash.

    Unknown, revoked, truncated and wrong-case tokens all take this same path, so their
    answers cannot be told apart by content or by timing. Read as one row of plain values
    on every fetch (304s included) and never cached: a revoked token is gone at once.
    """
    wanted = digest(secret)
    row = connection.execute(_LIVE_FEED_TOKEN, {"token_hash": wanted}).first()
    if row is None or not hmac.compare_digest(row[8], wanted):
        return None
    owner = FeedOwner(row[9], row[10], row[11], bool(row[12]))
    launch = LaunchDay(*row[16:]) if row[16] is not None else None
    facts = ScopeFacts(row[13], row[14], row[15] is not None, launch)
    return LiveFeedToken(*row[:8], owner=owner, facts=facts)
