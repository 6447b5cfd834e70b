"""Request latency by endpoint, method and status class, as a Prometheus histogram.

Endpoints (Flask's names, not paths) keep the label set small and free of ids and feed
tokens. Under gunicorn the values live in PROMETHEUS_MULTIPROC_DIR, so whichever worker
answers a scrape reports every worker's requests.
"""

from __future__ import annotations

import time
from functools import cache

from flask import Flask, Response, request
from prometheus_client import Histogram, disable_created_metrics

START_KEY = "launchpad.started"
BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


@cache
def request_duration() -> Histogram:
    """Created on first use (once per process), not at import time.

    The ``_created`` series (process start per label set) would only add noise.
    """
    disable_created_metrics()  # type: ignore[no-untyped-call]
    return Histogram(
        "launchpad_http_request_duration_seconds",
        "Time to answer an HTTP request, by Flask endpoint, method and status class.",
        ("endpoint", "method", "status"),
        buckets=BUCKETS,
    )


def init_http_metrics(app: Flask) -> None:
    """Time from the first before-request hook to the last after-request hook."""
    request_duration()
    app.before_request_funcs.setdefault(None, []).insert(0, _start)
    app.after_request(_observe)


def _start() -> None:
    request.environ[START_KEY] = time.perf_counter()


def observe(endpoint: str, method: str, status: int, seconds: float) -> None:
    """One answered request; also for requests served without Flask (calendar feeds)."""
    _series(endpoint, method, status // 100).observe(seconds)


def _observe(response: Response) -> Response:
    started = request.environ.get(START_KEY)
    if isinstance(started, float):
        endpoint = request.endpoint or "unmatched"
        observe(endpoint, request.method, response.status_code, time.perf_counter() - started)
    return response


@cache
def _series(endpoint: str, method: str, hundreds: int) -> Histogram:
    """The labelled child, looked up once per label set (labels() takes a lock each time)."""
    return request_duration().labels(endpoint, method, f"{hundreds}xx")
