"""Named secrets, encrypted at rest with a key derived from LAUNCHPAD_SECRET_KEY.

Sources name the secrets their headers or connection strings need, so configuration can
be shown and exported without revealing a credential. Rotating LAUNCHPAD_SECRET_KEY makes
stored secrets unreadable: store them again afterwards.
"""

from __future__ import annotations

import base64
import hashlib
import re
from datetime import datetime

from cryptography.fernet import Fernet, InvalidToken
from sqlalchemy import select
from sqlalchemy.orm import Session

from launchpad.models import StoredSecret
from launchpad.services.errors import InvalidInput, NotFound

_NAME = re.compile(r"^[A-Za-z0-9_.-]{1,100}$")


def seal(value: str, secret_key: str) -> str:
    return _fernet(secret_key).encrypt(value.encode()).decode()


def unseal(token: str, secret_key: str) -> str:
    try:
        return _fernet(secret_key).decrypt(token.encode()).decode()
    except InvalidToken:
        raise InvalidInput(
            {"secret": "a stored secret cannot be read with this LAUNCHPAD_SECRET_KEY"}
        ) from None


def store_secret(session: Session, name: str, value: str, secret_key: str, now: datetime) -> None:
    """Create or replace the secret `name`."""
    if not _NAME.match(name):
        raise InvalidInput({"name": "use letters, digits, '.', '_' or '-' (at most 100)"})
    row = session.scalar(select(StoredSecret).where(StoredSecret.name == name))
    if row is None:
        row = StoredSecret(name=name, created_at=now, ciphertext="")
        session.add(row)
    row.ciphertext = seal(value, secret_key)
    row.updated_at = now
    session.flush()


def reveal_secret(session: Session, name: str, secret_key: str) -> str:
    """The plain value, for the job that needs it right now; never for display."""
    ciphertext = session.scalar(select(StoredSecret.ciphertext).where(StoredSecret.name == name))
    if ciphertext is None:
        raise NotFound("secret", name)
    return unseal(ciphertext, secret_key)


def secret_names(session: Session) -> list[str]:
    return list(session.scalars(select(StoredSecret.name).order_by(StoredSecret.name)))


def _fernet(secret_key: str) -> Fernet:
    digest = hashlib.sha256(b"launchpad-stored-secrets\0" + secret_key.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))
