"""RFC 9457 problem details for every API error, and the mapping from service errors."""

from __future__ import annotations

from typing import Any

from flask import Response, json
from werkzeug.exceptions import HTTPException
from werkzeug.http import HTTP_STATUS_CODES

from launchpad.services.errors import Forbidden, InvalidInput, NotFound, ServiceError, StaleEdit
from launchpad.services.measurements import IdempotencyConflict

PROBLEM_TYPES = {
    400: "bad-request",
    401: "unauthorized",
    403: "forbidden",
    404: "not-found",
    405: "method-not-allowed",
    409: "conflict",
    412: "precondition-failed",
    413: "payload-too-large",
    415: "unsupported-media-type",
    422: "validation-error",
    428: "precondition-required",
    429: "rate-limited",
    500: "server-error",
    503: "unavailable",
}


def problem(
    status: int,
    detail: str,
    *,
    errors: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> Response:
    """A `application/problem+json` response; `errors` holds per-field messages."""
    body: dict[str, Any] = {
        "type": f"/api/problems/{PROBLEM_TYPES.get(status, 'error')}",
        "title": HTTP_STATUS_CODES.get(status, "Error"),
        "status": status,
        "detail": detail,
    }
    if errors:
        body["errors"] = errors
    body.update(extra)
    response = Response(json.dumps(body), status=status, mimetype="application/problem+json")
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def from_http_exception(error: HTTPException) -> Response:
    """Werkzeug/webargs errors (404, 405, 422 with field messages…) as problems."""
    status = error.code or 500
    data = getattr(error, "data", None) or {}
    errors = data.get("errors") or data.get("messages")
    detail = data.get("message") or _plain_description(error)
    if status == 422 and errors:
        detail = "the request has invalid fields; see `errors`"
    headers = dict(data.get("headers") or {})
    if status == 405 and error.get_response().headers.get("Allow"):
        headers["Allow"] = error.get_response().headers["Allow"]
    return problem(status, detail, errors=errors, headers=headers)


def from_service_error(error: ServiceError) -> Response:
    if isinstance(error, NotFound):
        return problem(404, str(error))
    if isinstance(error, InvalidInput):
        return problem(422, str(error), errors={"json": error.problems})
    if isinstance(error, StaleEdit):
        return problem(
            409, str(error), current_version=error.current_version, changes=error.changes
        )
    if isinstance(error, Forbidden):
        return problem(403, str(error))
    if isinstance(error, IdempotencyConflict):
        return problem(409, str(error))
    return problem(400, str(error))


def _plain_description(error: HTTPException) -> str:
    description = error.description or error.name
    return description.replace("\n", " ").strip()
