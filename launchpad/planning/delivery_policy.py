"""What a delivery attempt's answer means and when to try again (backoff with jitter).

2xx is delivered. 410 Gone disables the destination. 408, 429, 5xx and network errors
are retried; every other 4xx (and a redirect, which we never follow) is a permanent
failure: retrying a request the receiver rejected only hammers it. `Retry-After` wins
over our own backoff when it asks for longer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime
from enum import StrEnum

RETRYABLE_4XX = frozenset({408, 429})
MAX_RETRY_AFTER = timedelta(days=1)


class Verdict(StrEnum):
    DELIVERED = "delivered"
    RETRY = "retry"
    FAILED = "failed"
    GONE = "gone"


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    base: timedelta = timedelta(seconds=30)
    cap: timedelta = timedelta(hours=6)
    max_attempts: int = 10


def classify(status: int | None, attempt: int, policy: RetryPolicy) -> Verdict:
    """The verdict for HTTP (or SMTP-mapped) `status`; None means the network failed."""
    if status is not None and 200 <= status < 300:
        return Verdict.DELIVERED
    if status == 410:
        return Verdict.GONE
    permanent = status is not None and status < 500 and status not in RETRYABLE_4XX
    if permanent or attempt >= policy.max_attempts:
        return Verdict.FAILED
    return Verdict.RETRY


def next_attempt_at(
    policy: RetryPolicy, attempt: int, now: datetime, jitter: float, retry_after: timedelta | None
) -> datetime:
    """Exponential backoff with "equal jitter" (half fixed, half random in [0, 1)).

    `jitter` comes in as an argument so the schedule is reproducible in tests.
    """
    exponential: timedelta = policy.base * (2 ** max(attempt - 1, 0))
    delay: timedelta = min(policy.cap, exponential)
    delay = delay / 2 + delay * (min(max(jitter, 0.0), 1.0) / 2)
    if retry_after is not None:
        delay = max(delay, min(retry_after, MAX_RETRY_AFTER))
    return now + delay


def parse_retry_after(value: str | None, now: datetime) -> timedelta | None:
    """`Retry-After` as delta-seconds or an HTTP date; None when absent or unreadable."""
    if not value:
        return None
    text = value.strip()
    if text.isdigit():
        return timedelta(seconds=int(text))
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        return None
    return max(when - now, timedelta(0))
