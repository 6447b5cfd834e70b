"""Daily task digests: 09:00 in each person's zone, once a day, only with something to say."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from launchpad.models import OutboxMessage, Task, User
from launchpad.services.digests import plan_digests


def digests(session: Session) -> list[OutboxMessage]:
    session.commit()
    query = select(OutboxMessage).where(OutboxMessage.event_type == "digest.tasks")
    return list(session.scalars(query))


def test_one_digest_per_person_per_day_at_nine_local(session, launch, org):
    person = org.leads["product"]
    session.execute(update(User).values(timezone="America/New_York"))  # everyone, for clarity
    session.execute(update(Task).values(assignee_id=None))
    first = session.scalars(
        select(Task).where(Task.launch_id == launch.id).order_by(Task.id)
    ).first()
    assert first is not None
    session.execute(
        update(Task)
        .where(Task.id == first.id)
        .values(assignee_id=person.id, due_date=date(2027, 3, 1))
    )
    session.commit()
    assert plan_digests(session, datetime(2027, 3, 2, 13, 0, tzinfo=UTC)) == 0  # 08:00 in NY
    assert plan_digests(session, datetime(2027, 3, 2, 14, 0, tzinfo=UTC)) == 1  # 09:00 in NY
    assert plan_digests(session, datetime(2027, 3, 2, 20, 0, tzinfo=UTC)) == 0  # once a day
    (message,) = digests(session)
    assert message.idempotency_key.startswith(f"digest-{person.id}-20270302-")
    assert [t["title"] for t in message.payload["overdue"]] == [first.title]
    assert plan_digests(session, datetime(2027, 3, 3, 14, 0, tzinfo=UTC)) == 1  # the next day


def test_nothing_to_say_sends_nothing(session, launch, org):
    session.execute(update(Task).values(status="done"))
    session.commit()
    assert plan_digests(session, datetime(2027, 3, 2, 12, 0, tzinfo=UTC)) == 0
    assert digests(session) == []
