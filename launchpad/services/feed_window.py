"""Keeping a feed under its size cap by pulling in the far end of its date window.

Calendar apps give up on feeds above about 1 MB, so a big feed loses its furthest days
first, a whole day at a time; overdue open tasks are never dropped: they are the ones
a person most needs to see.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TypeVar

T = TypeVar("T")


def within_budget(events: Sequence[tuple[date, int, T]], today: date, budget: int) -> list[T]:
    """The items of (day, size, item) events, sorted by day, that fit in `budget` bytes.

    The cut falls on a day boundary, never before today.
    """
    if sum(size for _, size, _ in events) <= budget:
        return [item for _, _, item in events]
    used, cutoff = 0, None
    for day, size, _ in events:
        if day >= today and used + size > budget:
            cutoff = day
            break
        used += size
    return [item for day, _, item in events if cutoff is None or day < cutoff]
