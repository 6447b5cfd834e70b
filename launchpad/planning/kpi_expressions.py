"""KPI checks written as `metric comparator threshold` (`signups >= 500`)."""

from __future__ import annotations

import operator
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

_CHECK_RE = re.compile(r"^\s*([a-z][a-z0-9_.]*)\s*(>=|<=|==|!=|>|<)\s*(-?[0-9]+(?:\.[0-9]+)?)\s*$")
CHECK_HINT = "write metric, comparator and number, e.g. signups >= 500 or churn_rate < 0.02"

_OPERATORS: dict[str, Callable[[float, float], bool]] = {
    ">=": operator.ge,
    ">": operator.gt,
    "<=": operator.le,
    "<": operator.lt,
    "==": operator.eq,
    "!=": operator.ne,
}


class KpiExpressionError(ValueError):
    """A KPI check that is not `metric comparator number`."""


@dataclass(frozen=True, slots=True)
class KpiCheck:
    metric: str
    comparator: str
    threshold: float

    def is_met(self, value: float) -> bool:
        return _OPERATORS[self.comparator](value, self.threshold)

    def __str__(self) -> str:
        return f"{self.metric} {self.comparator} {_number(self.threshold)}"


def _number(value: float) -> str:
    """Every digit, never an exponent: the text is stored and parsed back (`:g` was lossy)."""
    if value.is_integer():
        return str(int(value))
    return format(Decimal(repr(value)), "f")


def parse_kpi_check(text: object) -> KpiCheck:
    match = _CHECK_RE.match(text) if isinstance(text, str) else None
    if match is None:
        raise KpiExpressionError(f"'{text}' is not a KPI check")
    metric, comparator, number = match.groups()
    return KpiCheck(metric, comparator, float(number))
