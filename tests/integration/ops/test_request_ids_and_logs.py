"""Request ids in headers and log lines; JSON logs; tokens never logged; proxies trusted."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from dataclasses import replace

import pytest
from flask import Flask

from launchpad import create_app
from launchpad.config import Settings
from launchpad.extensions import get_state
from launchpad.observability.log_format import JsonFormatter, stream_handler
from launchpad.observability.request_ids import request_id_from


@pytest.fixture
def json_log(app: Flask) -> Iterator[io.StringIO]:
    stream = io.StringIO()
    handler = stream_handler("json", stream)
    app.logger.addHandler(handler)
    try:
        yield stream
    finally:
        app.logger.removeHandler(handler)


def test_a_sane_request_id_is_echoed_and_a_bad_one_replaced(app: Flask) -> None:
    client = app.test_client()
    assert (
        client.get("/healthz", headers={"X-Request-ID": "abc-123"}).headers["X-Request-ID"]
        == "abc-123"
    )
    generated = client.get("/healthz", headers={"X-Request-ID": "bad id <script>"})
    assert len(generated.headers["X-Request-ID"]) == 32
    assert len(client.get("/healthz").headers["X-Request-ID"]) == 32
    assert request_id_from("x" * 129) != "x" * 129


def test_log_lines_of_a_request_carry_its_id(app: Flask, json_log: io.StringIO) -> None:
    @app.get("/_log_something")
    def log_something() -> str:
        app.logger.warning("something happened")
        return "ok"

    app.test_client().get("/_log_something", headers={"X-Request-ID": "req-42"})
    entry = json.loads(json_log.getvalue().splitlines()[-1])
    assert entry["request_id"] == "req-42"
    assert entry["message"] == "something happened"
    assert entry["level"] == "warning"


def test_json_lines_redact_feed_tokens_and_keep_tracebacks() -> None:
    try:
        raise ValueError("boom at /cal/s3cr3t-token/x.ics")
    except ValueError:
        record = logging.LogRecord(
            "t", logging.ERROR, __file__, 1, "GET %s", ("/cal/s3cr3t-token/x.ics",), None
        )
        import sys

        record.exc_info = sys.exc_info()
    entry = json.loads(JsonFormatter().format(record))
    assert entry["message"] == "GET /cal/[redacted]/x.ics"
    assert "s3cr3t-token" not in entry["error"]
    assert "ValueError" in entry["error"]


def test_forwarded_headers_count_only_with_trusted_proxies(
    settings: Settings, database_url: str
) -> None:
    forwarded = {"X-Forwarded-For": "198.51.100.4", "X-Forwarded-Proto": "https"}
    for hops, expected in ((0, "127.0.0.1"), (1, "198.51.100.4")):
        app = create_app(replace(settings, trusted_proxies=hops))

        @app.get("/_whoami")
        def whoami() -> dict[str, str]:
            from flask import request

            return {"addr": request.remote_addr or "", "scheme": request.scheme}

        try:
            body = app.test_client().get("/_whoami", headers=forwarded).json
        finally:
            get_state(app).engine.dispose()
        assert body is not None and body["addr"] == expected
        assert body["scheme"] == ("https" if hops else "http")
