"""Friendly error pages for people; other blueprints (API, feeds) keep their own bodies."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Flask, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from launchpad.services.errors import Forbidden, NotFound

MESSAGES = {
    400: ("That request could not be understood", "Go back and try again."),
    403: ("You may not do that", "Ask an admin or the launch's PM if you need access."),
    404: ("Nothing here", "The page or item does not exist, or it was removed."),
    405: ("Not like that", "This page cannot be used that way."),
    413: ("Too much at once", "What you sent is too large."),
    500: ("Something went wrong on our side", "Nothing you did; please try again."),
}


def page_errors(bp: Blueprint) -> None:
    """Service errors raised by UI views become the friendly pages."""
    bp.register_error_handler(NotFound, lambda error: error_page(404, str(error)))
    bp.register_error_handler(Forbidden, lambda error: error_page(403, str(error)))
    bp.register_error_handler(CSRFError, _csrf_failed)


def init_errors(app: Flask) -> None:
    """HTTP errors anywhere in the app; other blueprints' errors pass through."""
    for status in (400, 403, 404, 405, 413, 500):
        app.register_error_handler(status, _http_error)


def error_page(status: int, detail: str | None = None) -> tuple[str, int]:
    title, hint = MESSAGES.get(status, MESSAGES[400])
    page = render_template("error.html", status=status, title=title, hint=hint, detail=detail)
    return page, status


def _csrf_failed(error: CSRFError) -> tuple[str, int]:
    return error_page(
        400, "The form had expired or did not come from Launchpad. Reload the page and retry."
    )


def _http_error(error: HTTPException) -> Any:
    """HTML for the UI and unrouted paths; API and feed errors pass through unchanged."""
    blueprint = request.blueprint or ""
    if blueprint and not blueprint.startswith("web"):
        return error
    if request.path.startswith(("/api/", "/cal/")):
        return error
    return error_page(error.code or 500)
