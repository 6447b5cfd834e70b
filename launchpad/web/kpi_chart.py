"""A tiny server-rendered chart: a KPI's values over time as SVG coordinates.

Pure arithmetic; `templates/kpis/_chart.html` draws the polyline, the dashed target line
and the axis labels from it, so the page needs no script and no chart library.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

WIDTH, HEIGHT = 320, 120
LEFT, RIGHT, TOP, BOTTOM = 44, 8, 8, 20  # room for the axis labels


@dataclass(frozen=True, slots=True)
class Chart:
    width: int
    height: int
    points: str  # "x,y x,y ..." for <polyline>
    dots: list[tuple[float, float]]
    threshold_y: float
    low: float
    high: float
    first: datetime | None
    last: datetime | None
    left: int = LEFT
    right: int = WIDTH - RIGHT
    top: int = TOP
    bottom: int = HEIGHT - BOTTOM


def chart(series: Sequence[tuple[datetime, float]], threshold: float) -> Chart:
    """Scale the values (and the threshold, always in view) into the plot area."""
    values = [value for _, value in series]
    low, high = min([*values, threshold]), max([*values, threshold])
    if high == low:
        low, high = low - 1, high + 1
    times = [moment.timestamp() for moment, _ in series]
    start, end = (times[0], times[-1]) if times else (0.0, 0.0)
    span = end - start

    def x(moment: float, index: int) -> float:
        if span > 0:
            fraction = (moment - start) / span
        else:
            fraction = index / max(len(times) - 1, 1) if len(times) > 1 else 0.5
        return round(LEFT + fraction * (WIDTH - RIGHT - LEFT), 1)

    def y(value: float) -> float:
        return round(HEIGHT - BOTTOM - (value - low) / (high - low) * (HEIGHT - BOTTOM - TOP), 1)

    pairs = enumerate(zip(times, values, strict=True))
    dots = [(x(moment, i), y(value)) for i, (moment, value) in pairs]
    return Chart(
        width=WIDTH,
        height=HEIGHT,
        points=" ".join(f"{px:g},{py:g}" for px, py in dots),
        dots=dots,
        threshold_y=y(threshold),
        low=low,
        high=high,
        first=series[0][0] if series else None,
        last=series[-1][0] if series else None,
    )
