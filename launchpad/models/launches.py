"""A launch, who plays each role in it and which teams signed it off."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from launchpad.db import Base, UtcDateTime
from launchpad.models.people import Team, User
from launchpad.models.template_versions import TemplateVersion

LAUNCH_STATUSES = ("draft", "scheduled", "launched", "closed", "cancelled")


class Launch(Base):
    __tablename__ = "launches"
    __table_args__ = (CheckConstraint(f"status IN {LAUNCH_STATUSES!r}", name="status_known"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    template_version_id: Mapped[int] = mapped_column(ForeignKey("template_versions.id"))
    launch_date: Mapped[date] = mapped_column(index=True)
    launch_time: Mapped[time | None]
    timezone: Mapped[str] = mapped_column(String(64))
    holidays: Mapped[str | None] = mapped_column(String(20))
    parameters: Mapped[dict[str, Any]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(20), default="scheduled", index=True)
    version: Mapped[int] = mapped_column(default=1)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())

    template_version: Mapped[TemplateVersion] = relationship()
    roles: Mapped[list[LaunchRole]] = relationship(
        back_populates="launch", cascade="all, delete-orphan", order_by="LaunchRole.role"
    )

    # Every UPDATE checks and bumps `version`: a stale writer fails instead of overwriting.
    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class LaunchRole(Base):
    """A template role mapped to a person for one launch (None: the team lead)."""

    __tablename__ = "launch_roles"
    __table_args__ = (UniqueConstraint("launch_id", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    launch_id: Mapped[int] = mapped_column(ForeignKey("launches.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(String(64))
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    launch: Mapped[Launch] = relationship(back_populates="roles")
    team: Mapped[Team] = relationship()
    user: Mapped[User | None] = relationship()


class LaunchSignoff(Base):
    """A team lead's "go" for their team, part of the go / no-go decision."""

    __tablename__ = "launch_signoffs"
    __table_args__ = (UniqueConstraint("launch_id", "team_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    launch_id: Mapped[int] = mapped_column(ForeignKey("launches.id", ondelete="CASCADE"))
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    signed_at: Mapped[datetime] = mapped_column(UtcDateTime())
