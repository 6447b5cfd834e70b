"""The alert state machine, row by row: every status meets every outcome."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from launchpad.planning.alert_states import (
    Event,
    Memory,
    Outcome,
    Policy,
    Status,
    step,
)

AT = datetime(2027, 3, 9, 8, 0, tzinfo=UTC)
S, O, E = Status, Outcome, Event  # noqa: E741  (the table reads better short)
DAMPED = Policy(pending_evals=2, keep_firing_evals=2)


def memory(status: Status, **values: object) -> Memory:
    """A memory in `status`; alerting statuses have an incident open, as they would."""
    open_ = status in (S.FIRING, S.RECOVERING, S.NO_DATA, S.ERROR)
    base = Memory(
        status=status,
        incident=1 if open_ else 0,
        incident_open=open_,
        incident_business=status in (S.FIRING, S.RECOVERING, S.NO_DATA),
        sequence=1 if open_ else 0,
        last_notified_at=AT - timedelta(hours=1) if open_ else None,
    )
    return replace(base, **values)  # type: ignore[arg-type]


# status before, outcome, policy, status after, events
TABLE = [
    (S.UNKNOWN, O.MET, Policy(), S.OK, [E.MET]),
    (S.UNKNOWN, O.MISSED, Policy(), S.FIRING, [E.MISSED]),
    (S.UNKNOWN, O.MISSED, DAMPED, S.PENDING, []),
    (S.UNKNOWN, O.NO_DATA, Policy(), S.NO_DATA, [E.NO_DATA]),
    (S.UNKNOWN, O.ERROR, Policy(), S.ERROR, [E.ERROR]),
    (S.OK, O.MET, Policy(), S.OK, []),
    (S.OK, O.MISSED, Policy(), S.FIRING, [E.MISSED]),
    (S.OK, O.MISSED, DAMPED, S.PENDING, []),
    (S.OK, O.NO_DATA, Policy(), S.NO_DATA, [E.NO_DATA]),
    (S.OK, O.ERROR, Policy(), S.ERROR, [E.ERROR]),
    (S.PENDING, O.MET, DAMPED, S.OK, []),
    (S.PENDING, O.MISSED, DAMPED, S.FIRING, [E.MISSED]),
    (S.PENDING, O.NO_DATA, DAMPED, S.NO_DATA, [E.NO_DATA]),
    (S.PENDING, O.ERROR, DAMPED, S.ERROR, [E.ERROR]),
    (S.FIRING, O.MET, Policy(), S.OK, [E.RESOLVED]),
    (S.FIRING, O.MET, DAMPED, S.RECOVERING, []),
    (S.FIRING, O.MISSED, Policy(), S.FIRING, []),
    (S.FIRING, O.NO_DATA, Policy(), S.NO_DATA, [E.NO_DATA]),
    (S.FIRING, O.ERROR, Policy(), S.ERROR, [E.ERROR]),
    (S.RECOVERING, O.MET, DAMPED, S.OK, [E.RESOLVED]),
    (S.RECOVERING, O.MISSED, DAMPED, S.FIRING, []),
    (S.RECOVERING, O.NO_DATA, DAMPED, S.NO_DATA, [E.NO_DATA]),
    (S.RECOVERING, O.ERROR, DAMPED, S.ERROR, [E.ERROR]),
    (S.NO_DATA, O.MET, Policy(), S.OK, [E.RESOLVED]),
    (S.NO_DATA, O.MISSED, Policy(), S.FIRING, [E.MISSED]),
    (S.NO_DATA, O.MISSED, DAMPED, S.PENDING, []),
    (S.NO_DATA, O.NO_DATA, Policy(), S.NO_DATA, []),
    (S.NO_DATA, O.ERROR, Policy(), S.ERROR, [E.ERROR]),
    (S.ERROR, O.MET, Policy(), S.OK, [E.RESOLVED]),
    (S.ERROR, O.MISSED, Policy(), S.FIRING, [E.MISSED]),
    (S.ERROR, O.NO_DATA, Policy(), S.NO_DATA, [E.NO_DATA]),
    (S.ERROR, O.ERROR, Policy(), S.ERROR, []),
]


@pytest.mark.parametrize(("before", "outcome", "policy", "after", "events"), TABLE)
def test_transition_table(
    before: Status, outcome: Outcome, policy: Policy, after: Status, events: list[Event]
) -> None:
    misses = 1 if before is S.PENDING else 0
    result = step(
        memory(before, misses=misses, mets=1 if before is S.RECOVERING else 0), outcome, policy, AT
    )
    assert result.memory.status is after
    assert [notice.event for notice in result.notices] == events


def test_every_status_meets_every_outcome_in_the_table() -> None:
    pairs = {(before, outcome) for before, outcome, *_ in TABLE}
    assert pairs == {(s, o) for s in Status for o in Outcome}


def test_an_incident_opens_on_the_first_alert_and_numbers_its_notices() -> None:
    first = step(Memory(), O.MISSED, Policy(), AT)
    assert first.memory.incident == 1 and first.memory.incident_open
    notice = first.notices[0]
    assert (notice.incident, notice.n, notice.audiences) == (1, 1, frozenset({"business"}))
    second = step(first.memory, O.NO_DATA, Policy(), AT + timedelta(days=1))
    assert (second.notices[0].incident, second.notices[0].n) == (1, 2)
    resolved = step(second.memory, O.MET, Policy(), AT + timedelta(days=2))
    assert [(n.event, n.incident, n.n) for n in resolved.notices] == [(E.RESOLVED, 1, 3)]
    assert not resolved.memory.incident_open
    again = step(resolved.memory, O.MISSED, Policy(), AT + timedelta(days=3))
    assert (again.notices[0].incident, again.notices[0].n) == (2, 1)


def test_errors_go_to_ops_and_their_resolution_too() -> None:
    failed = step(Memory(status=S.OK), O.ERROR, Policy(), AT)
    assert failed.notices[0].audiences == frozenset({"ops"})
    resolved = step(failed.memory, O.MET, Policy(), AT + timedelta(hours=1))
    assert resolved.notices[0].audiences == frozenset({"ops"})


def test_resolution_after_a_missed_then_error_reaches_both_audiences() -> None:
    missed = step(Memory(status=S.OK), O.MISSED, Policy(), AT)
    errored = step(missed.memory, O.ERROR, Policy(), AT + timedelta(hours=1))
    resolved = step(errored.memory, O.MET, Policy(), AT + timedelta(hours=2))
    assert resolved.notices[0].audiences == frozenset({"ops", "business"})


def test_pending_evals_need_consecutive_misses() -> None:
    policy = Policy(pending_evals=3)
    state = Memory()
    statuses = []
    for outcome in (O.MISSED, O.MISSED, O.MET, O.MISSED, O.MISSED, O.MISSED):
        state = step(state, outcome, policy, AT).memory
        statuses.append(state.status)
    assert statuses == [S.PENDING, S.PENDING, S.OK, S.PENDING, S.PENDING, S.FIRING]


def test_keep_firing_evals_damp_a_flapping_recovery() -> None:
    policy = Policy(keep_firing_evals=2)
    firing = step(Memory(), O.MISSED, policy, AT).memory
    blip = step(firing, O.MET, policy, AT + timedelta(hours=1))
    back = step(blip.memory, O.MISSED, policy, AT + timedelta(hours=2))
    assert (blip.memory.status, blip.notices) == (S.RECOVERING, ())
    assert (back.memory.status, back.notices) == (S.FIRING, ())
    assert back.memory.incident == 1


def test_reminders_repeat_after_the_interval_only() -> None:
    policy = Policy(repeat_interval=timedelta(hours=4))
    state = step(Memory(), O.MISSED, policy, AT).memory
    events = []
    for hours in range(1, 10):
        result = step(state, O.MISSED, policy, AT + timedelta(hours=hours))
        state = result.memory
        events.append([(n.event, n.n) for n in result.notices])
    assert events == [[], [], [], [(E.REMINDER, 2)], [], [], [], [(E.REMINDER, 3)], []]


def test_no_reminders_without_an_interval() -> None:
    state = step(Memory(), O.NO_DATA, Policy(), AT).memory
    assert step(state, O.NO_DATA, Policy(), AT + timedelta(days=30)).notices == ()


def test_mute_suppresses_notices_but_not_the_state() -> None:
    muted = step(Memory(), O.MISSED, Policy(), AT, muted=True)
    assert muted.memory.status is S.FIRING and muted.notices == ()
    assert [n.event for n in muted.muted] == [E.MISSED]
    assert muted.memory.last_notified_at is None


def test_a_reminder_follows_the_end_of_a_mute() -> None:
    policy = Policy(repeat_interval=timedelta(hours=4))
    muted = step(Memory(), O.MISSED, policy, AT, muted=True).memory
    after = step(muted, O.MISSED, policy, AT + timedelta(hours=1))
    assert [n.event for n in after.notices] == [E.REMINDER]


def test_the_last_check_gives_a_final_verdict_and_closes_the_target() -> None:
    firing = step(Memory(), O.MISSED, Policy(), AT).memory
    final = step(firing, O.MISSED, Policy(), AT + timedelta(days=1), final=True)
    assert [(n.event, n.incident, n.n) for n in final.notices] == [(E.FINAL, 1, 2)]
    assert final.memory.verdict is O.MISSED and not final.memory.incident_open
    ignored = step(final.memory, O.MET, Policy(), AT + timedelta(days=2))
    assert ignored.memory == final.memory and ignored.notices == ()


def test_a_one_shot_target_sends_only_its_verdict() -> None:
    result = step(Memory(), O.MET, Policy(), AT, final=True)
    assert [(n.event, n.incident, n.n) for n in result.notices] == [(E.FINAL, 0, 1)]
    assert result.memory.status is S.OK and result.memory.verdict is O.MET


def test_a_final_error_goes_to_ops() -> None:
    result = step(Memory(status=S.OK), O.ERROR, Policy(), AT, final=True)
    assert result.notices[0].audiences == frozenset({"ops"})


def test_since_changes_only_with_the_status() -> None:
    first = step(Memory(), O.MISSED, Policy(), AT).memory
    second = step(first, O.MISSED, Policy(), AT + timedelta(hours=1)).memory
    assert first.since == second.since == AT
