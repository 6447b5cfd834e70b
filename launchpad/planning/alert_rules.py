"""The transition table of the alert state machine and who hears about each event.

Kept apart from the bookkeeping in ``alert_states`` so the table reads as the rules:
one outcome in, the next status, the damping counters and the transition events out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from launchpad.planning.kpi_outcomes import Outcome

if TYPE_CHECKING:
    from launchpad.planning.alert_states import Memory, Policy


class Status(StrEnum):
    UNKNOWN = "UNKNOWN"
    OK = "OK"
    PENDING = "PENDING"
    FIRING = "FIRING"
    RECOVERING = "RECOVERING"
    NO_DATA = "NO_DATA"
    ERROR = "ERROR"


class Event(StrEnum):
    MET = "met"
    MISSED = "missed"
    RESOLVED = "resolved"
    NO_DATA = "no_data"
    ERROR = "error"
    REMINDER = "reminder"
    FINAL = "final"


@dataclass(frozen=True, slots=True)
class Move:
    status: Status
    misses: int
    mets: int
    events: tuple[Event, ...]


_ALERTING = frozenset({Status.FIRING, Status.RECOVERING})
_STATUS_OF = {Outcome.NO_DATA: Status.NO_DATA, Outcome.ERROR: Status.ERROR}
_EVENT_OF = {Outcome.NO_DATA: Event.NO_DATA, Outcome.ERROR: Event.ERROR}


def transition(memory: Memory, outcome: Outcome, policy: Policy, at: datetime) -> Move:
    """The next status, counters and events for `outcome` (the table, tested row by row)."""
    if outcome is Outcome.MET:
        if memory.status in _ALERTING:
            mets = memory.mets + 1
            if mets >= policy.keep_firing_evals:
                return Move(Status.OK, 0, 0, (Event.RESOLVED,))
            return Move(Status.RECOVERING, 0, mets, ())
        if memory.status is Status.UNKNOWN:
            return Move(Status.OK, 0, 0, (Event.MET,))
        return Move(Status.OK, 0, 0, (Event.RESOLVED,) if memory.incident_open else ())
    if outcome is Outcome.MISSED:
        misses = memory.misses + 1
        if memory.status in _ALERTING:
            return Move(Status.FIRING, misses, 0, _reminder(memory, policy, at))
        if misses >= policy.pending_evals:
            return Move(Status.FIRING, misses, 0, (Event.MISSED,))
        return Move(Status.PENDING, misses, 0, ())
    status = _STATUS_OF[outcome]
    if memory.status is status:
        return Move(status, 0, 0, _reminder(memory, policy, at))
    return Move(status, 0, 0, (_EVENT_OF[outcome],))


def _reminder(memory: Memory, policy: Policy, at: datetime) -> tuple[Event, ...]:
    """A reminder once `repeat_interval` passed since anyone last heard (or never did)."""
    if policy.repeat_interval is None:
        return ()
    last = memory.last_notified_at
    due = last is None or at - last >= policy.repeat_interval
    return (Event.REMINDER,) if due else ()


def audiences_for(
    event: Event, before: Status, status: Status, outcome: Outcome, business_heard: bool
) -> frozenset[str]:
    """Errors go to ops, never to business owners; everything else to business owners.

    A resolution or final verdict reaches whoever heard about the incident it ends.
    """
    if event is Event.ERROR or (event is Event.REMINDER and status is Status.ERROR):
        return frozenset({"ops"})
    if event is Event.RESOLVED:
        ops = {"ops"} if before is Status.ERROR else set()
        return frozenset(ops | ({"business"} if business_heard or not ops else set()))
    if event is Event.FINAL and outcome is Outcome.ERROR:
        return frozenset({"ops", "business"} if business_heard else {"ops"})
    return frozenset({"business"})
