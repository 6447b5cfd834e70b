"""Unknown API paths and methods answer with problem documents, not the web's HTML pages."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, request
from flask.blueprints import BlueprintSetupState
from werkzeug.exceptions import HTTPException
from werkzeug.routing import BaseConverter

from launchpad.api.problems import problem

METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")
bp = Blueprint("api_fallback", __name__)


class AnyPathConverter(BaseConverter):
    """Any rest of a path, even with encoded newlines (werkzeug's `path` stops at them)."""

    regex = r"[\s\S]*"
    part_isolating = False
    weight = 1000


@bp.record_once
def _register_converter(state: BlueprintSetupState) -> None:
    state.app.url_map.converters["anypath"] = AnyPathConverter


@bp.route("/api/<anypath:rest>", methods=list(METHODS))
def unrouted(rest: str) -> Response:
    """Reached only when no API route matches: 405 if another method would, else 404."""
    allowed = routed_methods()
    if allowed:
        methods = ", ".join(sorted(allowed))
        return problem(
            405, f"{request.method} is not allowed here; use {methods}", headers={"Allow": methods}
        )
    return problem(404, f"no API resource at {request.path}")


def routed_methods() -> set[str]:
    """Methods that real API routes (not this fallback) accept at the request's path."""
    adapter = current_app.url_map.bind_to_environ(request.environ)
    allowed = set()
    for method in METHODS:
        try:
            endpoint, _ = adapter.match(request.path, method=method)
        except HTTPException:
            continue
        if endpoint != f"{bp.name}.unrouted":
            allowed.add(method)
    return allowed


def exact_allow_header(response: Response) -> Response:
    """Flask's automatic OPTIONS answer would advertise the fallback's methods too."""
    if request.method == "OPTIONS":
        response.headers["Allow"] = ", ".join(sorted(routed_methods() | {"OPTIONS"}))
    return response
