"""Log lines for people (``launchpad run``) or for machines (``launchpad web``: JSON).

Both formats carry the request id of the request being served and pass every message
through the redaction of secrets that travel in URLs (calendar feed tokens, invitation
tokens), so such a token cannot reach a log through any logger.
"""

from __future__ import annotations

import json
import logging
import os
import re
import sys
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from launchpad.log_redaction import REDACTED, redact_feed_tokens
from launchpad.observability.request_ids import current_request_id

STYLES = ("json", "plain")
STYLE_ENV = "LAUNCHPAD_LOG_FORMAT"
PLAIN_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(process)d] [%(request_id)s] %(message)s"
EXTRA_FIELDS = ("http",)  # structured extras a caller may attach (the access log does)
_INVITATION_TOKEN = re.compile(r"(/invitations/)[^/\s?#\"']+")


def redact_url_secrets(text: str) -> str:
    """Feed tokens (``/cal/<token>``) and invitation tokens (``/invitations/<token>``)."""
    return _INVITATION_TOKEN.sub(r"\1" + REDACTED, redact_feed_tokens(text))


class RequestIdFilter(logging.Filter):
    """Stamps each record with the current request id ("-" outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = current_request_id() or "-"
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, pid, request id, message, error."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "pid": record.process,
            "request_id": getattr(record, "request_id", None) or current_request_id(),
            "message": redact_url_secrets(record.getMessage()),
        }
        for name in EXTRA_FIELDS:
            if hasattr(record, name):
                entry[name] = getattr(record, name)
        if record.exc_info:
            entry["error"] = redact_url_secrets(self.formatException(record.exc_info))
        return json.dumps(entry, default=str, ensure_ascii=False)


class PlainFormatter(logging.Formatter):
    """The classic one-line format, with the request id and tokens redacted."""

    def __init__(self) -> None:
        super().__init__(PLAIN_FORMAT)

    def format(self, record: logging.LogRecord) -> str:
        if not hasattr(record, "request_id"):
            record.request_id = current_request_id() or "-"
        return redact_url_secrets(super().format(record))


def style_from_env(environ: Mapping[str, str] | None = None, default: str = "plain") -> str:
    """``LAUNCHPAD_LOG_FORMAT`` (json or plain), blank meaning ``default``; else ValueError."""
    env = os.environ if environ is None else environ
    style = env.get(STYLE_ENV, "").strip().lower() or default
    if style not in STYLES:
        raise ValueError(f"{STYLE_ENV} must be json or plain, not {style!r}")
    return style


def formatter_for(style: str) -> logging.Formatter:
    if style not in STYLES:
        raise ValueError(f"unknown log format {style!r}; expected json or plain")
    return JsonFormatter() if style == "json" else PlainFormatter()


def stream_handler(style: str, stream: Any = None) -> logging.Handler:
    """A handler on stderr (or ``stream``) with the style's formatter and the id filter."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(formatter_for(style))
    handler.addFilter(RequestIdFilter())
    return handler


def configure_logging(style: str, level: int = logging.INFO) -> None:
    """Replace the root logger's handlers with one of ``style`` (for web, worker, cron)."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        root.removeHandler(handler)
    root.addHandler(stream_handler(style))
    root.setLevel(level)
