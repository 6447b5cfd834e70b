"""The REST API at `/api/v1`: flask-smorest blueprints, schemas as documentation."""

from __future__ import annotations

from flask import Flask

from launchpad.api import (
    audit,
    docs,
    fallback,
    feeds,
    kpis,
    launches,
    measurements,
    people,
    tasks,
    templates,
    tokens,
    webhooks,
)
from launchpad.api.core import LaunchpadApi
from launchpad.api.ids import IdConverter, id_parameter_schema
from launchpad.api.rate_limit import init_rate_limit
from launchpad.extensions import get_state

BLUEPRINTS = (
    templates.bp,
    launches.bp,
    tasks.bp,
    people.teams_bp,
    people.people_bp,
    audit.bp,
    tokens.bp,
    feeds.bp,
    measurements.bp,
    kpis.launch_kpis_bp,
    kpis.kpis_bp,
    webhooks.bp,
)


def init_api(app: Flask) -> LaunchpadApi:
    """Register the API and its OpenAPI 3.1 document at `/api/openapi.json`."""
    app.config.update(
        API_TITLE="Launchpad API",
        API_VERSION="v1",
        OPENAPI_VERSION="3.1.0",
        OPENAPI_URL_PREFIX="/api",
        OPENAPI_JSON_PATH="openapi.json",
    )
    app.url_map.converters["id"] = IdConverter
    api = LaunchpadApi(
        app,
        spec_kwargs={
            "security": [{"bearerAuth": []}],
            "info": {"description": "Launch planning: templates, launches, tasks, KPIs."},
        },
    )
    api.spec.components.security_scheme(
        "bearerAuth", {"type": "http", "scheme": "bearer", "description": "A personal access token"}
    )
    api.register_converter(IdConverter, id_parameter_schema)
    init_rate_limit(app, get_state(app).settings, BLUEPRINTS)
    for blueprint in BLUEPRINTS:
        api.register_blueprint(blueprint)
    app.register_blueprint(docs.bp)
    app.register_blueprint(fallback.bp)
    return api
