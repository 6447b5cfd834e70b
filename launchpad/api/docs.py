"""The interactive API documentation (Swagger UI), served from the app: no CDN."""

from __future__ import annotations

from pathlib import Path

import flask_swagger_ui
from flask import Blueprint, Response, render_template, send_from_directory

SWAGGER_DIST = Path(flask_swagger_ui.__file__).resolve().parent / "dist"
_ASSETS = {"swagger-ui.css", "swagger-ui-bundle.js", "swagger-ui-standalone-preset.js"}

bp = Blueprint(
    "api_docs",
    __name__,
    url_prefix="/api/docs",
    template_folder="templates",
    static_folder="static",
    static_url_path="/static",
)


@bp.get("")
def docs_page() -> Response:
    """Swagger UI; it may style inline (the library needs it) but runs no inline script."""
    response = Response(render_template("api_docs.html"))
    response.headers["Content-Security-Policy"] = (
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'"
    )
    return response


@bp.get("/assets/<name>")
def asset(name: str) -> Response:
    if name not in _ASSETS:
        return Response("not found", status=404)
    response = send_from_directory(SWAGGER_DIST, name, max_age=86400)
    return response
