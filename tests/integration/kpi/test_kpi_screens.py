"""The services behind the KPI screens: panel, policy, mute, destinations, failed deliveries."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, update

from launchpad.models import AuditEvent, OutboxMessage
from launchpad.services.check_claims import claim_due_checks
from launchpad.services.check_evaluation import evaluate_checks
from launchpad.services.delivery_log import failed_deliveries, retry_delivery
from launchpad.services.destinations import list_destinations, send_test, set_enabled
from launchpad.services.errors import InvalidInput
from launchpad.services.kpi_alerts import AlertPolicy, mute_target, set_alert_policy
from launchpad.services.kpi_panel import kpi_panel

T0 = datetime(2027, 3, 9, 8, 0, tzinfo=UTC)


def test_the_panel_shows_state_last_value_series_and_next_check(session, launch, make_target, push):
    target = make_target(T0, T0 + timedelta(days=1), final=False)
    push(40, T0 - timedelta(hours=2))
    push(60, T0 - timedelta(hours=1))
    claim = claim_due_checks(session, T0, timedelta(minutes=1), 10)
    session.commit()
    assert claim is not None
    evaluate_checks(session, claim.ids, T0)
    session.commit()
    panel = {entry.target.key: entry for entry in kpi_panel(session, launch.id, T0)}
    entry = panel[target.key]
    assert (entry.status, entry.last_value, entry.next_check_at) == (
        "FIRING",
        60,
        T0 + timedelta(days=1),
    )
    assert [value for _, value in entry.series] == [40, 60]
    assert panel["feature-adoption"].status == "UNKNOWN"


def test_policy_and_mute_are_validated_and_audited(session, make_target):
    target = make_target(T0)
    policy = AlertPolicy(pending_evals=3, repeat_interval_seconds=3600)
    set_alert_policy(session, target.id, policy, now=T0)
    set_alert_policy(session, target.id, policy, now=T0)  # no change: no second event
    assert target.pending_evals == 3
    with pytest.raises(InvalidInput):
        set_alert_policy(session, target.id, AlertPolicy(pending_evals=0), now=T0)
    mute_target(session, target.id, T0 + timedelta(hours=4), T0)
    assert target.muted_until == T0 + timedelta(hours=4)
    with pytest.raises(InvalidInput):
        mute_target(session, target.id, T0 + timedelta(days=365), T0)
    mute_target(session, target.id, None, T0)
    events = session.scalars(
        select(AuditEvent).where(AuditEvent.entity == "kpi_target").order_by(AuditEvent.id)
    ).all()
    assert [e.action for e in events] == ["kpi.policy_changed", "kpi.muted", "kpi.unmuted"]
    assert (events[0].before["pending_evals"], events[0].after["pending_evals"]) == (1, 3)
    assert events[1].after["muted_until"].startswith("2027-03-09T12:00")
    assert all(e.launch_id == target.launch_id for e in events)


def test_destinations_test_button_and_failed_deliveries(session, launch, in_app, ops, kpi):
    assert {d.id for d in list_destinations(session, launch.id)} == {in_app, ops}
    assert [d.id for d in list_destinations(session)] == [ops]
    send_test(session, ops, None, T0)
    session.commit()
    (message,) = kpi.outbox()
    session.execute(update(OutboxMessage).values(status="failed", attempts=10))
    session.commit()
    (failed,) = failed_deliveries(session)
    assert failed.message.id == message.id and failed.destination.id == ops
    retried = retry_delivery(session, message.id, T0)
    assert (retried.status, retried.attempts) == ("pending", 0)
    with pytest.raises(InvalidInput):
        retry_delivery(session, message.id, T0)
    assert not set_enabled(session, ops, False, T0).enabled
