"""Alert destinations per launch or organisation: create, list, enable, test.

Callers check permissions: managing destinations and allowing private addresses are admin
actions (`webhook.manage`). A webhook's signing secret is shown once, when it is created,
and stored encrypted; the SSRF guard checks the URL now and again at every delivery.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from launchpad.models import Destination, Launch, User
from launchpad.models.notifications import AUDIENCES, DESTINATION_KINDS
from launchpad.outbound.addresses import AddressRefused, check_url
from launchpad.outbound.signing import PREFIX, new_secret
from launchpad.services.errors import InvalidInput, NotFound
from launchpad.services.outbox import OutboxEntry, write_outbox
from launchpad.services.secrets import seal, unseal

_EMAIL = re.compile(r"^[^@\s,]+@[^@\s,]+\.[^@\s,]+$")


@dataclass(frozen=True, slots=True)
class NewDestination:
    kind: str  # email | webhook | slack | in_app
    name: str
    address: str = ""  # emails (comma-separated), a URL, or for in_app a person's email
    audience: str = "business"  # ops receives errors only
    launch_id: int | None = None  # None: the whole organisation
    allow_private: bool = False  # an admin's allowance for private addresses
    secret: str | None = None  # webhook: a `whsec_` secret to use instead of a new one


def create_destination(
    session: Session, new: NewDestination, *, secret_key: str, now: datetime
) -> tuple[Destination, str | None]:
    """The destination and, for a signed webhook, its secret (shown this once)."""
    _check(session, new)
    secret = (new.secret or new_secret()) if new.kind == "webhook" else None
    destination = Destination(
        launch_id=new.launch_id,
        kind=new.kind,
        name=new.name.strip(),
        address=new.address.strip(),
        audience=new.audience,
        allow_private=new.allow_private,
        secret_ciphertext=seal(secret, secret_key) if secret else None,
        enabled=True,
        created_at=now,
        updated_at=now,
    )
    session.add(destination)
    session.flush()
    return destination, secret


def list_destinations(session: Session, launch_id: int | None = None) -> list[Destination]:
    """The organisation's destinations, plus the launch's when one is given."""
    scope: ColumnElement[bool] = Destination.launch_id.is_(None)
    if launch_id is not None:
        scope = scope | (Destination.launch_id == launch_id)
    query = select(Destination).where(scope, Destination.user_id.is_(None))
    return list(session.scalars(query.order_by(Destination.id)))


def set_enabled(session: Session, destination_id: int, enabled: bool, now: datetime) -> Destination:
    """Turn a destination on or off (re-enabling clears why it was disabled)."""
    destination = get_destination(session, destination_id)
    destination.enabled = enabled
    destination.disabled_reason = None if enabled else "disabled by a person"
    destination.updated_at = now
    session.flush()
    return destination


def get_destination(session: Session, destination_id: int) -> Destination:
    destination = session.get(Destination, destination_id)
    if destination is None:
        raise NotFound("destination", destination_id)
    return destination


def signing_secret(destination: Destination, secret_key: str) -> str | None:
    return (
        unseal(destination.secret_ciphertext, secret_key) if destination.secret_ciphertext else None
    )


def send_test(session: Session, destination_id: int, actor: User | None, now: datetime) -> None:
    """Queue a test notification (the "test" button); delivered like any other."""
    destination = get_destination(session, destination_id)
    payload = {
        "title": f"Test notification for {destination.name}",
        "path": "/",
        "text": "If you can read this, Launchpad can reach this destination.",
        "recipients": [actor.id] if actor else [],
    }
    key = f"test-{destination.id}-{now.strftime('%Y%m%dT%H%M%S%f')}"
    write_outbox(session, [OutboxEntry(key, destination.id, "kpi.test", payload)], now)


def _check(session: Session, new: NewDestination) -> None:
    problems: dict[str, str] = {}
    if new.kind not in DESTINATION_KINDS:
        problems["kind"] = f"use one of {', '.join(DESTINATION_KINDS)}"
    if new.audience not in AUDIENCES:
        problems["audience"] = f"use one of {', '.join(AUDIENCES)}"
    if not new.name.strip() or len(new.name) > 200:
        problems["name"] = "give a name of at most 200 characters"
    if new.launch_id is not None and session.get(Launch, new.launch_id) is None:
        problems["launch_id"] = f"launch {new.launch_id} not found"
    if new.secret is not None and not new.secret.startswith(PREFIX):
        problems["secret"] = f"a signing secret starts with {PREFIX}"
    problem = _address_problem(new)
    if problem:
        problems["address"] = problem
    if problems:
        raise InvalidInput(problems)


def _address_problem(new: NewDestination) -> str | None:
    if new.kind == "email":
        emails = [e.strip() for e in new.address.split(",") if e.strip()]
        if not emails or not all(_EMAIL.match(email) for email in emails):
            return "give one or more email addresses, separated by commas"
    if new.kind in ("webhook", "slack"):
        try:
            check_url(new.address.strip(), allow_private=new.allow_private)
        except AddressRefused as error:
            return str(error)
    if new.kind == "in_app" and new.address and not _EMAIL.match(new.address.strip()):
        return "leave empty for the target's owners, or give one person's email"
    return None


def secrets_for_receiver(session: Session, port: int, secret_key: str) -> list[str]:
    """Signing secrets of webhooks aimed at a receiver on this machine's `port` (demo)."""
    query = select(Destination).where(Destination.kind == "webhook")
    found = []
    for destination in session.scalars(query):
        target = urlsplit(destination.address)
        local = target.hostname in ("127.0.0.1", "localhost", "::1")
        if local and target.port == port and destination.secret_ciphertext:
            found.append(unseal(destination.secret_ciphertext, secret_key))
    return found
