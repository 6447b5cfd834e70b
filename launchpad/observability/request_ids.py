"""One id per request: taken from ``X-Request-ID`` when sane, else generated.

The id goes back in the response header and into every log line written while the
request runs (the log filter reads it from the WSGI environ, which gunicorn's access
logger sees too), so one failing request can be followed through proxy, app and logs.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from flask import Flask, Response, has_request_context, request

HEADER = "X-Request-ID"
ENVIRON_KEY = "launchpad.request_id"
_ACCEPTABLE = re.compile(r"^[A-Za-z0-9._:@/+=-]{1,128}$")
_OUTSIDE_FLASK: ContextVar[str | None] = ContextVar("launchpad_request_id", default=None)


def init_request_ids(app: Flask) -> None:
    """Run before every other hook, so nothing logs without an id."""
    app.before_request_funcs.setdefault(None, []).insert(0, _assign)
    app.after_request(_echo)


def request_id_from(header: str | None) -> str:
    """The caller's id if it is short and plain (it ends up in logs), else a fresh one."""
    if header and _ACCEPTABLE.match(header):
        return header
    return os.urandom(16).hex()


@contextmanager
def plain_wsgi_request(environ: dict[str, object]) -> Iterator[str]:
    """A request answered without Flask (calendar feeds): its id, for headers and logs."""
    header = environ.get("HTTP_X_REQUEST_ID")
    request_id = request_id_from(header if isinstance(header, str) else None)
    environ[ENVIRON_KEY] = request_id
    token = _OUTSIDE_FLASK.set(request_id)
    try:
        yield request_id
    finally:
        _OUTSIDE_FLASK.reset(token)


def current_request_id() -> str | None:
    """The id of the request being served, or None outside a request."""
    outside_flask = _OUTSIDE_FLASK.get()
    if outside_flask is not None:
        return outside_flask
    if not has_request_context():
        return None
    value = request.environ.get(ENVIRON_KEY)
    return value if isinstance(value, str) else None


def _assign() -> None:
    request.environ[ENVIRON_KEY] = request_id_from(request.headers.get(HEADER))


def _echo(response: Response) -> Response:
    request_id = current_request_id()
    if request_id is not None:
        response.headers[HEADER] = request_id
    return response
