"""The dashboard's filters (status, team, quarter), checked before any query runs."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from launchpad.models.launches import LAUNCH_STATUSES
from launchpad.services.errors import InvalidInput

_QUARTER_RE = re.compile(r"^(\d{4})-Q([1-4])$")


@dataclass(frozen=True, slots=True)
class PortfolioFilter:
    status: str | None = None
    team: str | None = None
    quarter: str | None = None  # "2027-Q1"
    show_finished: bool = True  # False: leave closed and cancelled launches out

    @property
    def hides_finished(self) -> bool:
        """Closed and cancelled launches are left out (never when a status is asked for)."""
        return not self.show_finished and self.status is None

    def quarter_range(self) -> tuple[date, date]:
        match = _QUARTER_RE.match(self.quarter or "")
        if match is None:
            raise InvalidInput({"quarter": f"'{self.quarter}' is not a quarter like 2027-Q1"})
        year, number = int(match[1]), int(match[2])
        first = date(year, 3 * number - 2, 1)
        last = date(year + 1, 1, 1) if number == 4 else date(year, 3 * number + 1, 1)
        return first, date.fromordinal(last.toordinal() - 1)


def checked_filter(
    status: str, team: str, quarter: str, show_finished: bool = True
) -> PortfolioFilter:
    """A filter from raw query values; every bad value is reported at once."""
    problems: dict[str, str] = {}
    if status and status not in LAUNCH_STATUSES:
        problems["status"] = f"'{status}' is not a launch status"
    if len(team) > 64:
        problems["team"] = "no team has so long a key"
    if quarter and not _QUARTER_RE.match(quarter):
        problems["quarter"] = f"'{quarter}' is not a quarter like 2027-Q1"
    elif quarter and not 1900 < int(quarter[:4]) < 9000:
        problems["quarter"] = "pick a year between 1901 and 8999"
    if problems:
        raise InvalidInput(problems)
    return PortfolioFilter(status or None, team or None, quarter or None, show_finished)


def quarter_of(day: date) -> str:
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"
