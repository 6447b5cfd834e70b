"""Jinja filters: dates as people read them, and activity sentences."""

from __future__ import annotations

from datetime import date, datetime

from flask import Flask

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


def init_filters(app: Flask) -> None:
    app.jinja_env.filters.update(
        day=day, short_day=short_day, when=when, relative=relative, describe=describe
    )
