"""Gunicorn's error and access logs in Launchpad's format (JSON by default).

The access line is built here from chosen fields only: the path with feed and invitation
tokens redacted, never a request header except the User-Agent (so an ``Authorization`` header
cannot be logged), plus the request id the app assigned. The application's own loggers
get the same handler, so one process writes one format.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping
from typing import Any

from gunicorn.glogging import Logger

from launchpad.observability.log_format import (
    RequestIdFilter,
    configure_logging,
    formatter_for,
    redact_url_secrets,
    style_from_env,
)
from launchpad.observability.request_ids import ENVIRON_KEY


def access_fields(
    environ: Mapping[str, Any], status: int | None, sent: int | None, seconds: float
) -> dict[str, Any]:
    """What one access line says; URL secrets redacted from path and query."""
    query = environ.get("QUERY_STRING") or ""
    target = environ.get("PATH_INFO", "") + (f"?{query}" if query else "")
    return {
        "remote": environ.get("REMOTE_ADDR", "-"),
        "method": environ.get("REQUEST_METHOD", "-"),
        "target": redact_url_secrets(target),
        "status": status,
        "bytes": sent,
        "duration_ms": round(seconds * 1000, 2),
        "user_agent": environ.get("HTTP_USER_AGENT", ""),
    }


class LaunchpadLogger(Logger):  # type: ignore[misc]  # gunicorn ships no type hints
    """gunicorn's Logger with our formatter on its handlers and our access line."""

    def setup(self, cfg: Any) -> None:
        super().setup(cfg)
        style = style_from_env(default="json")  # production logs are JSON unless asked
        configure_logging(style)
        for log in (self.error_log, self.access_log):
            for handler in log.handlers:
                handler.setFormatter(formatter_for(style))
                handler.addFilter(RequestIdFilter())

    def access(
        self, resp: Any, req: Any, environ: dict[str, Any], request_time: dt.timedelta
    ) -> None:
        if not self.access_log_enabled:
            return
        fields = access_fields(
            environ, resp.status_code, getattr(resp, "sent", None), request_time.total_seconds()
        )
        request_id = environ.get(ENVIRON_KEY) or "-"
        try:
            self.access_log.info(
                '%s "%s %s" %s %s %.1fms',
                fields["remote"],
                fields["method"],
                fields["target"],
                fields["status"],
                fields["bytes"],
                fields["duration_ms"],
                extra={"http": fields, "request_id": request_id},
            )
        except Exception:  # a log line must never break a response
            logging.getLogger(__name__).exception("access log failed")
