"""Renaming a launch (status changes live in launch_status)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from launchpad.models import Launch, User
from launchpad.services import audit
from launchpad.services.errors import InvalidInput
from launchpad.services.launch_access import flush_launch, launch_for_change

MAX_NAME = 200


def rename_launch(
    session: Session,
    launch_id: int,
    name: str,
    *,
    expected_version: int | None,
    actor: User | None,
    now: datetime,
) -> Launch:
    name = name.strip()
    if not name or len(name) > MAX_NAME:
        raise InvalidInput({"name": f"give a name of 1 to {MAX_NAME} characters"})
    launch = launch_for_change(session, launch_id, expected_version)
    before = launch.name
    if name == before:
        return launch
    launch.name, launch.updated_at = name, now
    flush_launch(session, launch)
    audit.record(
        session,
        action="launch.renamed",
        entity="launch",
        entity_id=launch.id,
        actor=actor,
        now=now,
        launch=launch,
        before={"name": before},
        after={"name": name},
    )
    return launch
