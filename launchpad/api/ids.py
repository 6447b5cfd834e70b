"""`<id:...>` path segments: positive integers of at most nine digits.

A longer number does not match the route at all, so it reaches the API's 404 fallback
instead of overflowing a database integer.
"""

from __future__ import annotations

from typing import Any

from werkzeug.routing import BaseConverter

MAX_ID = 999_999_999


class IdConverter(BaseConverter):
    regex = r"[1-9][0-9]{0,8}"
    weight = 50

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: Any) -> str:
        return str(int(value))


def id_parameter_schema(converter: IdConverter) -> dict[str, Any]:
    return {"type": "integer", "minimum": 1, "maximum": MAX_ID}
