"""A demo organisation and launch, so a fresh `make run` shows something real."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from launchpad.models import Launch, User
from launchpad.services.demo_alerts import seed_demo_alerts
from launchpad.services.launch_planning import NewLaunch, create_launch
from launchpad.services.people import add_to_team, create_user, ensure_team

DEMO_PASSWORD = "launchpad-demo"
DEMO_ADMIN = "admin@demo.launchpad"
DEMO_TEMPLATE = "major-launch"
_PEOPLE = (
    # email, role, team, lead
    ("pm@demo.launchpad", "pm", "product", True),
    ("pmm@demo.launchpad", "member", "marketing", True),
    ("sales@demo.launchpad", "member", "sales", True),
    ("support@demo.launchpad", "member", "support", True),
    ("legal@demo.launchpad", "member", "legal", True),
    ("engineering@demo.launchpad", "member", "engineering", True),
    ("viewer@demo.launchpad", "viewer", None, False),
)


@dataclass(frozen=True, slots=True)
class DemoResult:
    created: bool
    admin_email: str
    password: str
    launch_id: int | None


def seed_demo(
    session: Session, templates_dir: Path, now: datetime, *, secret_key: str | None = None
) -> DemoResult:
    """Create the demo people and launch once; later calls change nothing.

    With `secret_key` (to seal the webhook's signing secret) the launch also gets a KPI
    target checked a minute from `now`, with values that miss it, and two destinations.
    """
    if session.scalar(select(User.id).where(User.email == DEMO_ADMIN)) is not None:
        launch_id = session.scalar(select(Launch.id).order_by(Launch.id).limit(1))
        return DemoResult(False, DEMO_ADMIN, DEMO_PASSWORD, launch_id)
    admin = create_user(
        session, email=DEMO_ADMIN, password=DEMO_PASSWORD, role="admin", now=now, name="Demo Admin"
    )
    for email, role, team_key, lead in _PEOPLE:
        user = create_user(session, email=email, password=DEMO_PASSWORD, role=role, now=now)
        if team_key:
            add_to_team(session, user, ensure_team(session, team_key, now), lead=lead)
    request = NewLaunch(
        template_key=DEMO_TEMPLATE,
        name="Apollo 2.0",
        launch_date=(now + timedelta(days=45)).date(),
        timezone="Europe/Berlin",
        holidays="DE",
        parameters={},
        assignments={"pm": "pm@demo.launchpad"},
    )
    launch = create_launch(session, templates_dir, request, actor=admin, now=now)
    if secret_key is not None:
        seed_demo_alerts(session, launch, secret_key, now)
    return DemoResult(True, DEMO_ADMIN, DEMO_PASSWORD, launch.id)
