"""ETags on reads and `If-Match` on writes: a stale write is refused, never applied."""

from __future__ import annotations

import hashlib
import json
import re

from flask import request
from flask_smorest import abort

# `"launch-2-v7"`, or `"launch-2-v7.<digest>"` for a representation that also shows state
# kept elsewhere (a launch's readiness comes from its tasks and the date).
_ETAG_RE = re.compile(r'^(?:W/)?"([a-z]+)-(\d+)-v(\d+)(?:\.[0-9a-f]{1,64})?"$')


def etag(kind: str, ident: int, version: int) -> str:
    return f'"{kind}-{ident}-v{version}"'


def content_etag(kind: str, ident: int, version: int, content: object) -> str:
    """The version's ETag plus a digest of `content`: it moves when either changes.

    `If-Match` reads the version only, so this tag still guards writes to the record.
    """
    canonical = json.dumps(content, sort_keys=True, default=str, separators=(",", ":"))
    digest = hashlib.sha256(canonical.encode()).hexdigest()[:16]
    return f'"{kind}-{ident}-v{version}.{digest}"'


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


def not_modified(tag: str) -> bool:
    """Whether a conditional GET whose current ETag is `tag` may be answered with 304."""
    return tag in request.headers.get("If-None-Match", "")
