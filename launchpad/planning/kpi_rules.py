"""What makes a KPI schedule valid, shared by launch templates and the KPI target API."""

from __future__ import annotations

from launchpad.planning.offsets import Duration, Offset

SCHEDULE_HINT = "add `at: +7d`, or all of `every: 1d`, `from: +1d`, `until: +30d`"


def schedule_problems(
    at: Offset | None, every: Duration | None, start: Offset | None, until: Offset | None
) -> list[tuple[str, str, str]]:
    """(field, message, hint) for each rule the schedule breaks; empty when it is fine."""
    problems: list[tuple[str, str, str]] = []
    recurring = (every, start, until)
    if at is None and not all(part is not None for part in recurring):
        problems.append(("at", "has no schedule", SCHEDULE_HINT))
    if at is not None and any(part is not None for part in recurring):
        problems.append(("at", "has `at` and a recurrence", "keep one schedule"))
    for name, offset in (("at", at), ("from", start), ("until", until)):
        if offset is not None and offset.amount < 0:
            hint = "KPIs are checked after release: use +Nd"
            problems.append((name, f"`{name}` is before launch day", hint))
    if start and until and start.approx_days > until.approx_days:
        problems.append(("from", "`from` is after `until`", "swap them"))
    if every is not None and every.unit == "bd":
        problems.append(("every", "`every` in business days", "use h, d or w"))
    return problems
