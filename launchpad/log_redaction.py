"""Keeping calendar feed tokens out of logs.

A feed URL is its own password and access logs are copied to places passwords never
go, so every request line that names ``/cal/<token>`` is rewritten before a handler sees
it. The web app installs this on werkzeug's request log and its own logger; gunicorn's
config can call :func:`install_log_redaction` in its ``on_starting`` hook (the defaults
cover ``gunicorn.access`` and ``gunicorn.error``).
"""

from __future__ import annotations

import logging
import re

_FEED_TOKEN = re.compile(r"(/cal/)[^/\s?#\"']+")
REDACTED = "[redacted]"
DEFAULT_LOGGERS = ("werkzeug", "gunicorn.access", "gunicorn.error")


def redact_feed_tokens(text: str) -> str:
    """`GET /cal/abc.../comet.ics` becomes `GET /cal/[redacted]/comet.ics`."""
    return _FEED_TOKEN.sub(r"\1" + REDACTED, text)


class FeedTokenRedactor(logging.Filter):
    """Rewrites a record whose formatted message names a feed token; drops nothing."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact_feed_tokens(message)
        if redacted != message:
            record.msg, record.args = redacted, None
        return True


def install_log_redaction(*logger_names: str) -> None:
    """Add the redactor to each named logger once (safe to call for every app built)."""
    for name in logger_names or DEFAULT_LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, FeedTokenRedactor) for f in logger.filters):
            logger.addFilter(FeedTokenRedactor())
