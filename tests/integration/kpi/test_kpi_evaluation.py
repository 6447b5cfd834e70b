"""Sweeping and evaluating checks: values as of the due instant, alerts, outbox rows."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from launchpad.models import KpiAlert, KpiTarget, Launch
from launchpad.services.check_claims import claim_due_checks, reap_expired_checks
from launchpad.services.check_evaluation import evaluate_checks
from launchpad.services.check_schedule import materialize_checks
from launchpad.services.measurement_sources import NewSource, create_source, record_pull

T0 = datetime(2027, 3, 9, 8, 0, tzinfo=UTC)
LEASE = timedelta(minutes=2)
H = timedelta(hours=1)


def run(session: Session, now: datetime) -> list[int]:
    """One sweep and the evaluation of everything it claimed, as the jobs would do it."""
    claim = claim_due_checks(session, now, LEASE, 1000)
    session.commit()
    if claim is None:
        return []
    evaluate_checks(session, claim.ids, now)
    session.commit()
    return claim.ids


def test_a_missed_target_fires_once_to_each_destination(session, make_target, push, in_app, kpi):
    target = make_target(T0, T0 + H, T0 + 2 * H, final=False)
    push(40, T0 - H)
    assert len(run(session, T0 + 3 * H)) == 3
    checks = kpi.checks(target)
    assert [c.outcome for c in checks] == ["MISSED"] * 3
    assert [c.status_after for c in checks] == ["FIRING"] * 3
    assert kpi.outbox_keys() == [f"kpi-{target.id}-1-missed-1-{in_app}"]
    assert all(c.evaluations == 1 and c.status == "done" for c in checks)


def test_the_value_is_the_latest_observed_at_or_before_the_due_instant(
    session, make_target, push, kpi
):
    target = make_target(T0, final=False)
    push(150, T0 - 2 * H)
    push(90, T0 - H)  # the latest before the due instant: missed
    push(500, T0 + timedelta(minutes=1))  # after the due instant: not this check's business
    run(session, T0)
    check = kpi.checks(target)[0]
    assert (check.value, check.outcome) == (90, "MISSED")


def test_out_of_order_arrival_within_the_grace_period_counts(session, make_target, push, kpi):
    target = make_target(T0, final=False, grace_seconds=300)
    push(150, T0 - 2 * H, received=T0 - 2 * H)
    push(20, T0 - H, received=T0 + timedelta(minutes=4))  # older observation, arrived late
    assert run(session, T0 + timedelta(minutes=4)) == []  # not ready before due + grace
    run(session, T0 + timedelta(minutes=5))
    assert kpi.checks(target)[0].value == 20


def test_data_that_arrives_after_the_grace_period_is_ignored(session, make_target, push, kpi):
    target = make_target(T0, final=False, grace_seconds=60)
    push(150, T0 - H, received=T0 + timedelta(minutes=10))
    run(session, T0 + timedelta(hours=1))  # evaluated late: the answer is as of ready_at
    assert kpi.checks(target)[0].outcome == "NO_DATA"


def test_values_older_than_max_age_are_no_data(session, make_target, push, kpi):
    target = make_target(T0, final=False, max_age_seconds=3600)
    push(150, T0 - 2 * H)
    run(session, T0)
    assert kpi.checks(target)[0].outcome == "NO_DATA"


def test_met_then_missed_then_resolved(session, make_target, push, in_app, kpi):
    make_target(T0, T0 + H, T0 + 2 * H, final=False)
    push(150, T0 - timedelta(minutes=1))
    push(50, T0 + H - timedelta(minutes=1))
    push(120, T0 + 2 * H - timedelta(minutes=1))
    run(session, T0 + 3 * H)
    events = [key.split("-")[3] for key in kpi.outbox_keys()]
    assert events == ["met", "missed", "resolved"]


def test_evaluating_a_done_check_again_changes_nothing(session, make_target, push, in_app, kpi):
    target = make_target(T0, final=False)
    push(10, T0 - H)
    ids = run(session, T0)
    assert evaluate_checks(session, ids, T0 + H).checks == 0
    session.commit()
    assert kpi.checks(target)[0].evaluations == 1 and len(kpi.outbox_keys()) == 1


def test_a_reaped_lease_is_claimed_again_and_evaluated_once(session, make_target, push, kpi):
    target = make_target(T0, final=False)
    push(10, T0 - H)
    first = claim_due_checks(session, T0, LEASE, 100)
    session.commit()
    assert first is not None and claim_due_checks(session, T0, LEASE, 100) is None
    session.commit()
    assert reap_expired_checks(session, T0 + LEASE + timedelta(seconds=1)) == 1
    session.commit()
    second = run(session, T0 + 2 * LEASE)
    evaluate_checks(session, first.ids, T0 + 2 * LEASE)  # the lost job turns up after all
    session.commit()
    check = kpi.checks(target)[0]
    assert second == first.ids and check.attempts == 2 and check.evaluations == 1


def test_errors_of_a_source_go_to_ops_only(session, make_target, in_app, ops, kpi, launch):
    target = make_target(T0, final=False)
    source = create_source(
        session,
        NewSource(launch.id, "signups", "http", {"url": "https://example.com/x", "path": "$.v"}),
        T0 - H,
    )
    record_pull(session, source.id, T0 - H, None, "HTTP 503 from the source")
    session.commit()
    run(session, T0)
    check = kpi.checks(target)[0]
    assert check.outcome == "ERROR" and "HTTP 503" in (check.detail or "")
    assert kpi.outbox_keys() == [f"kpi-{target.id}-1-error-1-{ops}"]


def test_a_mute_suppresses_the_notice_but_keeps_the_state(session, make_target, push, in_app, kpi):
    target = make_target(T0, final=False, muted_until=T0 + 24 * H)
    push(10, T0 - H)
    run(session, T0)
    check = kpi.checks(target)[0]
    assert check.status_after == "FIRING" and check.events == ["missed:1:muted"]
    assert kpi.outbox_keys() == []


def test_the_final_check_closes_the_target_with_a_verdict(session, make_target, push, in_app, kpi):
    target = make_target(T0, T0 + H)
    push(10, T0 - H)
    run(session, T0 + 2 * H)
    alert = session.get(KpiAlert, target.id)
    assert alert is not None and alert.verdict == "MISSED"
    assert [key.split("-")[3] for key in kpi.outbox_keys()] == ["missed", "final"]


def test_in_app_notices_name_the_owners(session, make_target, push, in_app, kpi, launch, org):
    make_target(T0, final=False)
    push(10, T0 - H)
    run(session, T0)
    (message,) = kpi.outbox()
    recipients = set(message.payload["recipients"])
    assert org.leads["product"].id in recipients  # the pm role falls back to its team lead
    assert launch.created_by_id in recipients


@pytest.mark.parametrize("zone", ["Europe/Berlin", "America/New_York", "Pacific/Auckland"])
def test_scheduled_checks_are_utc_whatever_the_launch_zone(session, make_launch, zone, kpi):
    launch: Launch = make_launch(timezone=zone, name=f"Comet {zone}")
    materialize_checks(session, datetime(2027, 3, 20, tzinfo=UTC), timedelta(days=120))
    session.commit()
    weekly = session.scalar(
        select(KpiTarget).where(
            KpiTarget.launch_id == launch.id, KpiTarget.key == "weekly-active-accounts"
        )
    )
    checks = kpi.checks(weekly)
    local = [c.due_at.astimezone(ZoneInfo(zone)) for c in checks]
    assert {(t.hour, t.minute) for t in local} == {(9, 0)}
    assert len(checks) == 8 and [c.final for c in checks] == [False] * 7 + [True]
