"""Materialising checks: idempotent, follows reschedules, stops for cancelled launches."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from launchpad.models import KpiAlert, KpiTarget, Launch, ScheduledCheck
from launchpad.services.check_schedule import materialize_checks

NOW = datetime(2027, 3, 1, 12, 0, tzinfo=UTC)


def weekly(session: Session, launch: Launch) -> KpiTarget:
    query = select(KpiTarget).where(
        KpiTarget.launch_id == launch.id, KpiTarget.key == "weekly-active-accounts"
    )
    target = session.scalar(query)
    assert target is not None
    return target


def test_checks_up_to_the_horizon_only_and_never_twice(session, launch, kpi):
    added = materialize_checks(session, NOW, timedelta(days=14))
    assert len(kpi.checks(weekly(session, launch))) == 1  # +7d at 09:00 Berlin
    assert materialize_checks(session, NOW, timedelta(days=14)) == 0
    assert materialize_checks(session, NOW, timedelta(days=70)) > 0
    total = len(session.scalars(select(ScheduledCheck.id)).all())
    assert materialize_checks(session, NOW, timedelta(days=70)) == 0 and total > added
    session.commit()
    assert len(kpi.checks(weekly(session, launch))) == 8
    assert [c.due_at for c in kpi.checks(weekly(session, launch))][:2] == [
        datetime(2027, 3, 9, 8, 0, tzinfo=UTC),
        datetime(2027, 3, 16, 8, 0, tzinfo=UTC),
    ]
    assert session.get(KpiAlert, weekly(session, launch).id) is not None


def test_a_reschedule_moves_waiting_checks_but_not_evaluated_ones(session, launch, kpi):
    materialize_checks(session, NOW, timedelta(days=70))
    target = weekly(session, launch)
    first = kpi.checks(target)[0]
    session.execute(
        update(ScheduledCheck).where(ScheduledCheck.id == first.id).values(status="done")
    )
    session.execute(
        update(Launch).where(Launch.id == launch.id).values(launch_date=date(2027, 3, 4), version=5)
    )
    session.commit()
    materialize_checks(session, NOW, timedelta(days=70))
    session.commit()
    dues = [c.due_at.date() for c in kpi.checks(target)]
    assert dues[0] == date(2027, 3, 9)  # evaluated: history stays
    assert dues[1:3] == [date(2027, 3, 11), date(2027, 3, 18)]  # re-derived from the new day


def test_a_cancelled_launch_loses_its_waiting_checks(session, launch, kpi):
    materialize_checks(session, NOW, timedelta(days=70))
    session.execute(update(Launch).where(Launch.id == launch.id).values(status="cancelled"))
    session.commit()
    materialize_checks(session, NOW, timedelta(days=70))
    session.commit()
    assert kpi.checks(weekly(session, launch)) == []
