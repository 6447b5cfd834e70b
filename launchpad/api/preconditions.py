"""ETags on reads and `If-Match` on writes: a stale write is refused, never applied."""

from __future__ import annotations

import re

from flask import request
from flask_smorest import abort

_ETAG_RE = re.compile(r'^(?:W/)?"([a-z]+)-(\d+)-v(\d+)"$')


def etag(kind: str, ident: int, version: int) -> str:
    return f'"{kind}-{ident}-v{version}"'


def require_if_match(kind: str, ident: int, current_version: int) -> int:
    """The version the caller saw; 428 without If-Match, 412 when it is not current."""
    header = request.headers.get("If-Match", "").strip()
    if not header:
        abort(
            428,
            message=f"send If-Match: {etag(kind, ident, current_version)} (the ETag "
            "you read) so a stale write cannot overwrite someone else's",
        )
    if header == "*":
        return current_version
    match = _ETAG_RE.match(header)
    if match is None or (match.group(1), int(match.group(2))) != (kind, ident):
        abort(412, message=f"If-Match {header} does not name this {kind}")
    assert match is not None
    seen = int(match.group(3))
    if seen != current_version:
        abort(
            412,
            message=f"the {kind} changed since you read it: it is now at "
            f"{etag(kind, ident, current_version)}; read it again",
            headers={"ETag": etag(kind, ident, current_version)},
        )
    return seen


def not_modified(kind: str, ident: int, version: int) -> bool:
    """Whether a conditional GET may be answered with 304."""
    return etag(kind, ident, version) in request.headers.get("If-None-Match", "")
