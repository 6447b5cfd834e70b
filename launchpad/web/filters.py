"""Jinja filters: dates as people read them, activity sentences, task status options."""

from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache

from flask import Flask
from markupsafe import Markup

from launchpad.models.tasks import TASK_STATUSES
from launchpad.web.activity_text import describe


def day(value: date | None) -> str:
    """`Tue 2 Mar 2027`."""
    return "—" if value is None else f"{value:%a} {value.day} {value:%b %Y}"


def short_day(value: date | None) -> str:
    return "—" if value is None else f"{value.day} {value:%b}"


def when(value: datetime | None) -> str:
    return "—" if value is None else f"{value:%Y-%m-%d %H:%M} UTC"


def relative(value: date, launch_day: date) -> str:
    """Offset from launch day, as templates write it: `T-10`, `T`, `T+3`."""
    days = (value - launch_day).days
    return "T" if days == 0 else f"T{days:+d}"


@lru_cache(maxsize=len(TASK_STATUSES) + 1)
def status_options(current: str) -> Markup:
    """The `<option>`s of a task's status select, `current` selected: the same five on every
    row of a launch page, so built once per status rather than once per task."""
    return Markup("").join(
        Markup('<option value="{0}"{1}>{2}</option>').format(
            status, Markup(" selected") if status == current else "", status.replace("_", " ")
        )
        for status in TASK_STATUSES
    )


def init_filters(app: Flask) -> None:
    app.jinja_env.filters.update(
        day=day,
        short_day=short_day,
        when=when,
        relative=relative,
        describe=describe,
        status_options=status_options,
    )
