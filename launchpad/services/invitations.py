"""Invitations: a one-time link through which a new person sets their own password.

The link's token (256 random bits) is shown once to the admin who invited; only its
SHA-256 is stored. Unknown, used and expired links all look the same: not found.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from launchpad.models import Invitation, User
from launchpad.services import audit
from launchpad.services.accounts import set_password
from launchpad.services.errors import NotFound

VALID_FOR = timedelta(days=7)


@dataclass(frozen=True, slots=True)
class IssuedInvitation:
    invitation: Invitation
    token: str  # shown once; never stored


def invite(
    session: Session, person: User, *, actor: User | None, now: datetime
) -> IssuedInvitation:
    """A fresh link for `person`; earlier unused links of theirs stop working."""
    for old in session.scalars(
        select(Invitation).where(Invitation.user_id == person.id, Invitation.used_at.is_(None))
    ):
        old.used_at = now
    token = secrets.token_urlsafe(32)
    invitation = Invitation(
        user_id=person.id,
        token_hash=_digest(token),
        created_by_id=actor.id if actor else None,
        created_at=now,
        expires_at=now + VALID_FOR,
    )
    session.add(invitation)
    session.flush()
    audit.record(
        session,
        action="person.invited",
        entity="person",
        entity_id=person.id,
        actor=actor,
        now=now,
        after={"expires_at": invitation.expires_at},
    )
    return IssuedInvitation(invitation, token)


def open_invitation(session: Session, token: str, now: datetime) -> Invitation:
    """The usable invitation behind `token`, else NotFound (whatever the reason)."""
    invitation = session.scalar(select(Invitation).where(Invitation.token_hash == _digest(token)))
    if invitation is None or not invitation.is_usable(now):
        raise NotFound("invitation", "link")
    return invitation


def accept(session: Session, token: str, password: str, *, now: datetime) -> User:
    """Set the invited person's password and use the link up."""
    invitation = open_invitation(session, token, now)
    set_password(session, invitation.user, password, actor=invitation.user, now=now)
    invitation.used_at = now
    session.flush()
    return invitation.user


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
