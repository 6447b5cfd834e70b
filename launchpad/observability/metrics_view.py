"""``GET /metrics`` in Prometheus text format, for loopback callers or a bearer token.

Not public by default: counts of launches' checks and deliveries are nobody's business
outside the operators. A request that came through a proxy (X-Forwarded-For present) is
never treated as loopback, so a reverse proxy on the same host cannot expose the page.
"""

from __future__ import annotations

import hmac
import ipaddress
import os

from flask import Blueprint, Response, current_app, request
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest
from prometheus_client.multiprocess import MultiProcessCollector

from launchpad.extensions import get_state
from launchpad.observability.http_metrics import request_duration
from launchpad.observability.redis_probe import app_probe_client
from launchpad.observability.scrape import ScrapeCollector

bp = Blueprint("metrics", __name__)
MULTIPROCESS_ENV = "PROMETHEUS_MULTIPROC_DIR"


@bp.get("/metrics")
def metrics() -> Response:
    """Every process's request figures, then what Redis and the database say now."""
    refusal = _refusal()
    if refusal is not None:
        return refusal
    state = get_state()
    registry = CollectorRegistry(auto_describe=False)
    if os.environ.get(MULTIPROCESS_ENV):
        MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
    else:
        registry.register(request_duration())
    client = app_probe_client(current_app, state.settings)
    registry.register(ScrapeCollector(state.sessions, client))
    response = Response(generate_latest(registry), mimetype=CONTENT_TYPE_LATEST)
    response.headers["Cache-Control"] = "no-store"
    return response


def _refusal() -> Response | None:
    """None when the caller may read the metrics, else the answer to give instead."""
    token = get_state().settings.metrics_token
    if token is not None and _bearer_matches(token):
        return None
    if _from_loopback():
        return None
    if token is None:
        return _plain(403, "metrics are served to loopback only; see LAUNCHPAD_METRICS_TOKEN")
    response = _plain(401, "send Authorization: Bearer <LAUNCHPAD_METRICS_TOKEN>")
    response.headers["WWW-Authenticate"] = 'Bearer realm="metrics"'
    return response


def _bearer_matches(token: str) -> bool:
    scheme, _, secret = request.headers.get("Authorization", "").partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(
        secret.strip().encode(), token.encode()
    )


def _from_loopback() -> bool:
    if "X-Forwarded-For" in request.headers or "Forwarded" in request.headers:
        return False
    try:
        return ipaddress.ip_address(request.remote_addr or "").is_loopback
    except ValueError:
        return False


def _plain(status: int, text: str) -> Response:
    return Response(text + "\n", status, mimetype="text/plain")
