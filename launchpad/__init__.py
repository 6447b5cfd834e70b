"""Launchpad: launch templates and a launch date in, a coordinated go-to-market plan out."""

from __future__ import annotations

from flask import Flask

from launchpad.config import Settings
from launchpad.db import make_engine, make_session_factory
from launchpad.extensions import LaunchpadState, init_app

MAX_REQUEST_BYTES = 1024 * 1024  # bodies above 1 MiB are refused with 413


def create_app(settings: Settings | None = None) -> Flask:
    """Build a WSGI app: settings, then extensions, then blueprints.

    Runs no migrations and opens no connection, so it is cheap in tests, jobs and the CLI.
    """
    settings = settings if settings is not None else Settings.from_env()
    app = Flask(__name__, static_folder=None, template_folder=None)
    app.config.update(
        SECRET_KEY=settings.secret_key,
        TESTING=settings.testing,
        MAX_CONTENT_LENGTH=MAX_REQUEST_BYTES,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.base_url.startswith("https://"),
    )
    engine = make_engine(settings.database_url)
    init_app(app, LaunchpadState(settings, engine, make_session_factory(engine)))
    _init_operations(app)
    _register_blueprints(app)
    _wrap_wsgi(app, settings)
    return app


def _init_operations(app: Flask) -> None:
    """Request ids, timing, outage pages and /metrics.

    Imported here, not at module level: prometheus_client must be first imported after
    ``launchpad web`` has set PROMETHEUS_MULTIPROC_DIR.
    """
    from launchpad.observability import init_observability

    init_observability(app)


def _register_blueprints(app: Flask) -> None:
    from launchpad import health, web
    from launchpad.api import init_api

    app.register_blueprint(health.bp)
    init_api(app)
    blueprint = getattr(web, "bp", None)
    if blueprint is not None:
        app.register_blueprint(blueprint)


def _wrap_wsgi(app: Flask, settings: Settings) -> None:
    """Calendar feeds are answered before Flask; proxy headers (if trusted) outermost."""
    from launchpad.proxies import trust_proxies
    from launchpad.web.calendar_feed import serve_feeds_first

    serve_feeds_first(app)
    trust_proxies(app, settings.trusted_proxies)
