"""Dates people may type: within a range the holiday calendars and offsets can handle."""

from __future__ import annotations

from datetime import date

from wtforms import Field, Form
from wtforms.validators import ValidationError

EARLIEST = date(1970, 1, 1)
LATEST = date(2199, 12, 31)


def sensible_date(form: Form, field: Field) -> None:
    if field.data is not None and not EARLIEST <= field.data <= LATEST:
        raise ValidationError(f"pick a date between {EARLIEST.year} and {LATEST.year}")
