"""Liveness (``/healthz``) and readiness (``/readyz``) for load balancers and compose.

Neither is behind sign-in or the metrics token: probes come from orchestrators that hold
no credentials, and the readiness report names dependencies, never addresses or errors.
"""

from __future__ import annotations

from flask import Blueprint, Response, current_app, jsonify

from launchpad.extensions import get_state
from launchpad.observability.redis_probe import app_probe_client
from launchpad.readiness import readiness

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz() -> dict[str, str]:
    """Answers as long as the process serves requests; it checks no dependency."""
    return {"status": "ok"}


@bp.get("/readyz")
def readyz() -> Response:
    """200 when every dependency is usable, else 503 naming the failing checks."""
    state = get_state()
    report = readiness(state, app_probe_client(current_app, state.settings))
    response = jsonify(report.body())
    response.status_code = 200 if report.ready else 503
    response.headers["Cache-Control"] = "no-store"
    return response
