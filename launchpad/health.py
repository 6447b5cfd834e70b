"""Liveness endpoint for load balancers and compose healthchecks."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz() -> dict[str, str]:
    """Answers as long as the process serves requests; it checks no dependency."""
    return {"status": "ok"}
