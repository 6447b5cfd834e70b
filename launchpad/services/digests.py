"""Due-soon and overdue task digests, one email per person per day, at 09:00 their time.

A digest is decided once per person and local day (a `task_digests` row, unique), so two
cron runs or a late cron never send it twice; with nothing to say, nothing is sent.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from launchpad.models import Destination, Launch, Task, TaskDigest, User
from launchpad.models.tasks import OPEN_TASK_STATUSES
from launchpad.planning.timezones import zone
from launchpad.services.bulk import insert_new
from launchpad.services.outbox import OutboxEntry, write_outbox

DIGEST_TIME = time(9, 0)
DUE_SOON_DAYS = 2
ACTIVE_LAUNCHES = ("draft", "scheduled", "launched")


def plan_digests(session: Session, now: datetime) -> int:
    """Decide today's digest for everyone whose 09:00 has passed; return how many to send."""
    days = {user: day for user in _people(session) if (day := _digest_day(user, now))}
    query = select(TaskDigest.user_id, TaskDigest.day).where(TaskDigest.day.in_(set(days.values())))
    decided = {(user_id, day) for user_id, day in session.execute(query)}
    days = {user: day for user, day in days.items() if (user.id, day) not in decided}
    if not days:
        return 0
    tasks = _open_tasks(session, [user.id for user in days])
    sent = 0
    for user, day in days.items():
        overdue = [t for t in tasks[user.id] if t["due_date"] < day.isoformat()]
        soon_until = (day + timedelta(days=DUE_SOON_DAYS)).isoformat()
        soon = [t for t in tasks[user.id] if day.isoformat() <= t["due_date"] <= soon_until]
        sent += _decide(session, user, day, overdue, soon, now)
    return sent


def _people(session: Session) -> list[User]:
    return list(session.scalars(select(User).where(User.active).order_by(User.id)))


def _digest_day(user: User, now: datetime) -> date | None:
    local = now.astimezone(zone(user.timezone))
    return local.date() if local.time() >= DIGEST_TIME else None


def _open_tasks(session: Session, user_ids: list[int]) -> defaultdict[int, list[dict[str, Any]]]:
    query = (
        select(Task.assignee_id, Task.title, Task.due_date, Launch.name, Launch.id)
        .join(Launch, Launch.id == Task.launch_id)
        .where(
            Task.assignee_id.in_(user_ids),
            Task.status.in_(OPEN_TASK_STATUSES),
            Launch.status.in_(ACTIVE_LAUNCHES),
        )
        .order_by(Task.due_date, Task.id)
    )
    tasks: defaultdict[int, list[dict[str, Any]]] = defaultdict(list)
    for user_id, title, due, launch, launch_id in session.execute(query):
        tasks[user_id or 0].append(
            {"title": title, "due_date": due.isoformat(), "launch": launch, "launch_id": launch_id}
        )
    return tasks


def _decide(
    session: Session,
    user: User,
    day: date,
    overdue: list[dict[str, Any]],
    soon: list[dict[str, Any]],
    now: datetime,
) -> int:
    """Record the decision for (user, day); write the email only if this run made it."""
    count = len(overdue) + len(soon)
    row = {"user_id": user.id, "day": day, "task_count": count, "created_at": now}
    if not insert_new(session, TaskDigest, [row], ("user_id", "day")) or not count:
        return 0
    destination = personal_email(session, user, now)
    payload = {"day": day.isoformat(), "overdue": overdue, "due_soon": soon, "path": "/my/tasks"}
    key = f"digest-{user.id}-{day:%Y%m%d}-{destination.id}"
    write_outbox(session, [OutboxEntry(key, destination.id, "digest.tasks", payload)], now)
    return 1


def personal_email(session: Session, user: User, now: datetime) -> Destination:
    """The person's own email destination (made on first use, never shared)."""
    query = select(Destination).where(Destination.user_id == user.id, Destination.kind == "email")
    destination = session.scalar(query)
    if destination is None:
        destination = Destination(
            user_id=user.id,
            kind="email",
            name=f"Digests for {user.email}",
            address=user.email,
            audience="business",
            enabled=True,
            allow_private=False,
            created_at=now,
            updated_at=now,
        )
        session.add(destination)
        session.flush()
    return destination
