"""Personal access tokens: shown once, stored as SHA-256, revocable, optionally read-only."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from launchpad.models import ApiToken, User
from launchpad.services.errors import InvalidInput, NotFound

TOKEN_PREFIX = "lp_"
MAX_EXPIRY_DAYS = 3650
_LAST_USED_RESOLUTION = timedelta(minutes=1)


@dataclass(frozen=True, slots=True)
class IssuedToken:
    token: ApiToken
    secret: str  # the only time the plain token exists


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def create_token(
    session: Session,
    user: User,
    *,
    label: str,
    read_only: bool,
    expires_days: int | None,
    now: datetime,
) -> IssuedToken:
    """A new token for `user`; the plain secret is returned once and never stored."""
    if expires_days is not None and not 1 <= expires_days <= MAX_EXPIRY_DAYS:
        raise InvalidInput({"expires": f"give 1 to {MAX_EXPIRY_DAYS} days"})
    if len(label) > 100:
        raise InvalidInput({"label": "keep the label under 100 characters"})
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user_id=user.id,
        label=label.strip() or "API token",
        token_hash=digest(secret),
        prefix=secret[:10],
        read_only=read_only,
        created_at=now,
        expires_at=now + timedelta(days=expires_days) if expires_days else None,
    )
    session.add(token)
    session.flush()
    return IssuedToken(token, secret)


def authenticate(session: Session, secret: str, now: datetime) -> ApiToken | None:
    """The usable token for `secret`, or None; lookup is by digest, never by the secret."""
    if not secret.startswith(TOKEN_PREFIX) or len(secret) > 200:
        return None
    token = session.scalar(select(ApiToken).where(ApiToken.token_hash == digest(secret)))
    if token is None or not token.is_usable(now):
        return None
    if token.last_used_at is None or now - token.last_used_at >= _LAST_USED_RESOLUTION:
        token.last_used_at = now
        session.flush()
    return token


def list_tokens(session: Session, user: User) -> list[ApiToken]:
    return list(
        session.scalars(select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id))
    )


def revoke_token(session: Session, token_id: int, *, actor: User, now: datetime) -> ApiToken:
    """Revoke one of the actor's tokens (admins may revoke anyone's)."""
    token = session.get(ApiToken, token_id)
    if token is None or (token.user_id != actor.id and actor.role != "admin"):
        raise NotFound("API token", token_id)
    token.revoked_at = token.revoked_at or now
    session.flush()
    return token
