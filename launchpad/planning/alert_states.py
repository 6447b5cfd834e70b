"""The alert state machine of one KPI target (DESIGN.md section 6), as a pure function.

Each evaluated check feeds its outcome to :func:`step`, which returns the target's next
memory and the notices to send. Only transitions notify (missed, met, resolved, no-data,
error); `pending_evals` and `keep_firing_evals` damp flapping; a reminder repeats an alert
after `repeat_interval`; a mute suppresses notices without changing the state; the last
check of the window closes the target with a final verdict. Every notice is numbered
inside its incident, which makes the outbox idempotency key deterministic on replay.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from launchpad.planning.alert_rules import Event, Status, audiences_for, transition
from launchpad.planning.kpi_outcomes import Outcome

__all__ = ["Event", "Memory", "Notice", "Outcome", "Policy", "Status", "Step", "step"]
_OPENING = frozenset({Event.MISSED, Event.NO_DATA, Event.ERROR})


@dataclass(frozen=True, slots=True)
class Policy:
    """How a target damps and repeats its alerts (the defaults alert on the first miss)."""

    pending_evals: int = 1
    keep_firing_evals: int = 1
    repeat_interval: timedelta | None = None


@dataclass(frozen=True, slots=True)
class Memory:
    """What the machine remembers between checks; stored on the target's alert row."""

    status: Status = Status.UNKNOWN
    since: datetime | None = None
    incident: int = 0  # number of the latest incident (0: none yet)
    incident_open: bool = False
    incident_business: bool = False  # business owners heard about the open incident
    sequence: int = 0  # notices numbered so far in the latest incident
    misses: int = 0
    mets: int = 0
    last_notified_at: datetime | None = None
    verdict: Outcome | None = None  # set once the window closed


@dataclass(frozen=True, slots=True)
class Notice:
    """One notification to write to the outbox, for each destination of its audiences."""

    event: Event
    incident: int
    n: int
    audiences: frozenset[str]
    status: Status


@dataclass(frozen=True, slots=True)
class Step:
    memory: Memory
    notices: tuple[Notice, ...]  # to send
    muted: tuple[Notice, ...] = ()  # suppressed by a mute, kept for the check's history


def step(
    memory: Memory,
    outcome: Outcome,
    policy: Policy,
    at: datetime,
    *,
    final: bool = False,
    muted: bool = False,
) -> Step:
    """Feed one check's outcome (due at `at`); a closed target ignores further checks."""
    if memory.verdict is not None:
        return Step(memory, ())
    move = transition(memory, outcome, policy, at)
    events = (Event.FINAL,) if final else move.events
    memory_now = replace(
        memory,
        status=move.status,
        since=at if move.status != memory.status else memory.since,
        misses=move.misses,
        mets=move.mets,
    )
    notices = []
    for event in events:
        memory_now, notice = _number(memory_now, memory.status, event, outcome)
        notices.append(notice)
    if final:
        memory_now = replace(memory_now, incident_open=False, verdict=outcome)
    if muted or not notices:
        return Step(memory_now, (), tuple(notices))
    return Step(replace(memory_now, last_notified_at=at), tuple(notices))


def _number(
    memory: Memory, before: Status, event: Event, outcome: Outcome
) -> tuple[Memory, Notice]:
    """Open or close the incident around `event` and give the notice its number."""
    if event in _OPENING and not memory.incident_open:
        memory = replace(
            memory,
            incident=memory.incident + 1,
            incident_open=True,
            incident_business=False,
            sequence=0,
        )
    audiences = audiences_for(event, before, memory.status, outcome, memory.incident_business)
    memory = replace(
        memory,
        sequence=memory.sequence + 1,
        incident_business=memory.incident_business or "business" in audiences,
        incident_open=memory.incident_open and event is not Event.RESOLVED,
    )
    return memory, Notice(event, memory.incident, memory.sequence, audiences, memory.status)
