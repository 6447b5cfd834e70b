"""Local launch times to UTC, with DST gaps and overlaps decided one way, on purpose."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


class TimeZoneError(ValueError):
    """A time zone name that the IANA database does not know."""


@lru_cache(maxsize=512)
def zone(name: str) -> ZoneInfo:
    """The IANA zone `name`, or TimeZoneError with an example of a valid name."""
    if not name or name != name.strip() or ".." in name or name.startswith("/"):
        raise TimeZoneError(f"'{name}' is not a time zone; use an IANA name like Europe/Berlin")
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError) as error:  # OSError: `America` is a folder
        raise TimeZoneError(
            f"unknown time zone '{name}'; use an IANA name like Europe/Berlin"
        ) from error


def local_to_utc(day: date, at: time, zone_name: str) -> datetime:
    """The UTC instant of wall-clock `at` on `day` in `zone_name`.

    A time skipped by a spring-forward change (02:30) means the same distance after the
    gap (03:30); a repeated time in autumn means its first occurrence.
    """
    # fold=0 gives exactly that (PEP 495): the pre-transition offset for both cases.
    return datetime.combine(day, at, tzinfo=zone(zone_name)).astimezone(UTC)
