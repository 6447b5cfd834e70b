"""Production visibility: request ids, JSON logs, Prometheus metrics, outage answers.

``init_observability`` wires the per-request parts into an app; the log formatting is
chosen by the process that starts (``launchpad web`` logs JSON, ``launchpad run`` plain).
Importing this package imports nothing else: prometheus_client must not be loaded before
``launchpad web`` has set PROMETHEUS_MULTIPROC_DIR.
"""

from __future__ import annotations

from flask import Flask


def init_observability(app: Flask) -> None:
    """Request ids first (every later log line carries one), then timing and /metrics."""
    from launchpad.observability.http_metrics import init_http_metrics
    from launchpad.observability.metrics_view import bp as metrics_bp
    from launchpad.observability.outage import init_outage_pages
    from launchpad.observability.request_ids import init_request_ids

    init_request_ids(app)
    init_http_metrics(app)
    init_outage_pages(app)
    app.register_blueprint(metrics_bp)
