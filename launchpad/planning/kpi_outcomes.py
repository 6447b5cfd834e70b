"""What one check of a KPI target concluded: `MET | MISSED | NO_DATA | ERROR`.

The value comes from the database (the latest observed at or before the due instant,
DESIGN.md section 6); this module only judges it, so the rule is the same everywhere.
"""

from __future__ import annotations

import math
from enum import StrEnum

from launchpad.planning.kpi_expressions import KpiCheck


class Outcome(StrEnum):
    MET = "MET"
    MISSED = "MISSED"
    NO_DATA = "NO_DATA"
    ERROR = "ERROR"


def judge(check: KpiCheck, value: float | None, failure: str | None = None) -> Outcome:
    """The outcome of `check` for `value`.

    A failing pulled source only matters when it left us without a value: a stale but
    valid value still answers the question, while "no value because the source broke" is
    an operational ERROR, not a business NO_DATA.
    """
    if value is None:
        return Outcome.ERROR if failure else Outcome.NO_DATA
    if not math.isfinite(value):
        return Outcome.ERROR
    return Outcome.MET if check.is_met(value) else Outcome.MISSED
