"""Schemathesis against a running app: no 5xx and every answer matches the OpenAPI document.

The app is served by a real HTTP server on loopback, with a launch to work on and a
token for a PM; every operation in the document is exercised with generated input.
"""

from __future__ import annotations

import secrets
import tempfile
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from flask import Flask
from hypothesis import HealthCheck, settings
from sqlalchemy.orm import Session
from werkzeug.serving import make_server

from launchpad import create_app
from launchpad.config import Settings
from launchpad.models import ApiToken
from launchpad.services.api_tokens import TOKEN_PREFIX, digest

from .conftest import MakeLaunch, Org


def _openapi_document() -> dict[str, Any]:
    """The document the app serves; building it needs no database or Redis connection."""
    with tempfile.TemporaryDirectory(prefix="lp-spec-") as instance:
        app = create_app(
            Settings.from_env(
                {}, instance_dir=Path(instance), database_url="sqlite://", secret_key="s" * 32
            )
        )
        document: dict[str, Any] = app.test_client().get("/api/openapi.json").json
    return document


schema = schemathesis.openapi.from_dict(_openapi_document())
# Known before collection: Schemathesis asks for credentials while it builds the cases.
TOKEN = TOKEN_PREFIX + secrets.token_urlsafe(32)


@schema.auth()
class BearerToken:
    """Tell Schemathesis how we authenticate, so it never counts our header as its input."""

    def get(self, case: Any, context: Any) -> str:
        return TOKEN

    def set(self, case: Any, data: str, context: Any) -> None:
        case.headers = {**(case.headers or {}), "Authorization": f"Bearer {data}"}


@pytest.fixture
def served_api(app: Flask, session: Session, org: Org, make_launch: MakeLaunch) -> Iterator[str]:
    make_launch()
    session.add(
        ApiToken(
            user_id=org.pm.id,
            label="schemathesis",
            token_hash=digest(TOKEN),
            prefix=TOKEN[:10],
            read_only=False,
            created_at=datetime.now(UTC),
        )
    )
    session.commit()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_port}"
    try:
        yield base
    finally:
        server.shutdown()
        thread.join(timeout=5)


@schema.parametrize()
@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
def test_every_operation_conforms(case: Any, served_api: str) -> None:
    case.call_and_validate(base_url=served_api)
