"""A lost database connection answers 503 (problem or plain page), never a traceback.

While PostgreSQL restarts every request that needs it fails; the pool throws the dead
connections away (a disconnect invalidates it, idle connections are pinged before use:
``launchpad.db_liveness``), so the first request after the restart works again without
restarting Launchpad. The page is a fixed string: rendering the UI's templates
would ask the database for the signed-in user and fail the same way.
"""

from __future__ import annotations

import logging

from flask import Flask, Response, json, request
from sqlalchemy.exc import DisconnectionError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from launchpad.log_redaction import redact_feed_tokens

RETRY_AFTER_SECONDS = 5
OUTAGE_ERRORS = (OperationalError, InterfaceError, DisconnectionError, PoolTimeout)
log = logging.getLogger(__name__)

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Launchpad is briefly unavailable</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body style="font-family: system-ui, sans-serif; max-width: 36rem; margin: 4rem auto">
<h1>Launchpad is briefly unavailable</h1>
<p>Its database cannot be reached right now. Nothing you did caused this, and nothing
you saved is lost. Please try again in a few seconds.</p>
</body></html>
"""


def init_outage_pages(app: Flask) -> None:
    """Blueprints with their own catch-all (calendar feeds) keep answering themselves."""
    for error in OUTAGE_ERRORS:
        app.register_error_handler(error, database_unavailable)


def database_unavailable(error: Exception) -> Response:
    """503 with Retry-After: a problem document for the API, a short page for people."""
    log.error(
        "database unavailable during %s %s: %s",
        request.method,
        redact_feed_tokens(request.path),
        type(error).__name__,
    )
    headers = {"Retry-After": str(RETRY_AFTER_SECONDS), "Cache-Control": "no-store"}
    if request.path.startswith("/api/"):
        body = {
            "type": "/api/problems/unavailable",
            "title": "Service Unavailable",
            "status": 503,
            "detail": "the database cannot be reached right now; retry shortly",
        }
        return Response(json.dumps(body), 503, headers, mimetype="application/problem+json")
    return Response(PAGE, 503, headers, mimetype="text/html")
