"""A small JSONPath subset to find a KPI value in an HTTP source's JSON answer.

Supported: `$`, `.name`, `['name']` / `["name"]`, `[index]` (negative counts from the
end), chained: `$.data.series[-1].value`. No filters, wildcards or recursion: one path
must name one value, and a source configuration error should be obvious, not clever.
"""

from __future__ import annotations

import math
import re
from typing import Any

_TOKEN = re.compile(
    r"""\.(?P<name>[A-Za-z_][A-Za-z0-9_\-]*)"""
    r"""|\[(?P<index>-?[0-9]+)\]"""
    r"""|\[(?P<quote>['"])(?P<key>(?:(?!(?P=quote)).)*)(?P=quote)\]"""
)
PATH_HINT = "write a path like $.data.signups or $['series'][-1].value"


class JsonPathError(ValueError):
    """A path that is not in the subset, or a document where it finds no number."""


def parse_path(path: str) -> tuple[str | int, ...]:
    """The steps of `path`; raises JsonPathError naming where it stops making sense."""
    if not path.startswith("$"):
        raise JsonPathError(f"'{path}' must start with $; {PATH_HINT}")
    steps: list[str | int] = []
    position = 1
    while position < len(path):
        match = _TOKEN.match(path, position)
        if match is None:
            raise JsonPathError(f"'{path}' is not understood at '{path[position:]}'; {PATH_HINT}")
        if match.group("index") is not None:
            steps.append(int(match.group("index")))
        else:
            steps.append(match.group("name") or match.group("key"))
        position = match.end()
    return tuple(steps)


def find_number(document: Any, path: str) -> float:
    """The number at `path` in `document` (numeric text is accepted; booleans are not)."""
    value = document
    for step in parse_path(path):
        value = _child(value, step, path)
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise JsonPathError(f"{path} is {type(value).__name__}, not a number")
    try:
        number = float(value)
    except ValueError:
        raise JsonPathError(f"{path} is '{value}', not a number") from None
    if not math.isfinite(number):
        raise JsonPathError(f"{path} is {value}, not a finite number")
    return number


def _child(value: Any, step: str | int, path: str) -> Any:
    if isinstance(step, int):
        if not isinstance(value, list) or not -len(value) <= step < len(value):
            raise JsonPathError(f"{path}: no item [{step}] here")
        return value[step]
    if not isinstance(value, dict) or step not in value:
        raise JsonPathError(f"{path}: no key '{step}' here")
    return value[step]
