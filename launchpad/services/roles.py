"""Re-mapping a launch role to another person."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from launchpad.models import LaunchRole, Task, User
from launchpad.services import audit
from launchpad.services.errors import InvalidInput
from launchpad.services.launch_access import launch_for_change, touch
from launchpad.services.people import team_leads


def remap_role(
    session: Session,
    launch_id: int,
    role: str,
    user: User | None,
    *,
    expected_version: int | None,
    actor: User | None,
    now: datetime,
) -> int:
    """Give `role` to `user` (None: back to the team lead); returns open tasks reassigned."""
    launch = launch_for_change(session, launch_id, expected_version)
    mapping = session.scalar(
        select(LaunchRole).where(LaunchRole.launch_id == launch.id, LaunchRole.role == role)
    )
    if mapping is None:
        known = ", ".join(r.role for r in launch.roles)
        raise InvalidInput({"role": f"'{role}' is not a role of this launch (roles: {known})"})
    if user is not None and not user.active:
        raise InvalidInput({"user": f"{user.email} is deactivated"})
    before = mapping.user_id
    mapping.user_id = user.id if user else None
    assignee = user.id if user else team_leads(session, {mapping.team_id}).get(mapping.team_id)
    result = session.execute(
        update(Task)
        .where(
            Task.launch_id == launch.id,
            Task.role == role,
            Task.status.not_in(("done", "skipped")),
        )
        .values(assignee_id=assignee, updated_at=now, version=Task.version + 1)
        .execution_options(synchronize_session=False)
    )
    moved = getattr(result, "rowcount", 0)
    touch(session, launch, now)
    audit.record(
        session,
        action="launch.role_remapped",
        entity="launch",
        entity_id=launch.id,
        actor=actor,
        now=now,
        launch=launch,
        before={"role": role, "user_id": before},
        after={
            "role": role,
            "user_id": mapping.user_id,
            "assignee_id": assignee,
            "tasks_reassigned": moved,
        },
    )
    session.expire_all()
    return int(moved)
