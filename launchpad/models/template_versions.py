"""Launch template versions as they were when a launch was made from them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from launchpad.db import Base, UtcDateTime


class TemplateVersion(Base):
    """The resolved body (fragments merged) is kept so old launches stay reproducible."""

    __tablename__ = "template_versions"
    __table_args__ = (UniqueConstraint("key", "content_hash"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(100), index=True)
    version: Mapped[int]
    name: Mapped[str] = mapped_column(String(200))
    content_hash: Mapped[str] = mapped_column(String(64))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
