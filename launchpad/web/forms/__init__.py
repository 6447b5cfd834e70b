"""Flask-WTF forms: each checks its fields and carries the CSRF token."""

from __future__ import annotations

from collections.abc import Iterable

from wtforms import SelectChoice


def options(pairs: Iterable[tuple[str, str]]) -> list[SelectChoice]:
    """`(value, label)` pairs as select options."""
    return [SelectChoice(value, label) for value, label in pairs]


def no_nul(value: object) -> object:
    """Drop NUL characters: PostgreSQL text cannot hold them, and no person types them."""
    return value.replace("\x00", "") if isinstance(value, str) else value
