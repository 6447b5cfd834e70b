"""Named secrets (API keys, connection strings, signing keys), encrypted at rest."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from launchpad.db import Base, UtcDateTime


class StoredSecret(Base):
    """A value only the server can read back: Fernet with a key from LAUNCHPAD_SECRET_KEY."""

    __tablename__ = "stored_secrets"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    ciphertext: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())
