"""Fixtures for the operations tests: private servers to break, a seeded deployment."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import create_engine, text

from launchpad import create_app
from launchpad.config import Settings
from launchpad.db import make_engine, make_session_factory, session_scope
from launchpad.extensions import get_state
from launchpad.migrate import upgrade
from launchpad.services.api_tokens import create_token
from launchpad.services.demo import seed_demo
from launchpad.services.feed_scopes import parse_scope
from launchpad.services.feed_tokens import create_feed_token
from launchpad.services.people import user_by_email

from .servers import PrivateCluster, PrivateRedis

REPO = Path(__file__).resolve().parents[3]
DEMO_PASSWORD = "launchpad-demo"
_CSRF = re.compile(r'name="csrf_token"(?: type="hidden")? value="([^"]+)"')


@pytest.fixture(scope="session")
def private_cluster() -> Iterator[PrivateCluster]:
    cluster = PrivateCluster()
    try:
        yield cluster
    finally:
        cluster.close()


@pytest.fixture
def private_redis() -> Iterator[PrivateRedis]:
    server = PrivateRedis()
    try:
        yield server
    finally:
        server.stop()


def create_database(cluster: PrivateCluster, name: str) -> str:
    admin = create_engine(cluster.url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return cluster.url_for(name)


@dataclass
class Deployment:
    """An app on its own seeded database, with an API token and a feed path."""

    app: Flask
    api_token: str
    feed_path: str

    @property
    def bearer(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.api_token}"}

    def signed_in_client(self) -> FlaskClient:
        client = self.app.test_client()
        page = client.get("/sign-in").get_data(as_text=True)
        match = _CSRF.search(page)
        assert match, "no CSRF token on the sign-in page"
        answer = client.post(
            "/sign-in",
            data={
                "csrf_token": match.group(1),
                "email": "pm@demo.launchpad",
                "password": DEMO_PASSWORD,
            },
        )
        assert answer.status_code == 302, answer.get_data(as_text=True)
        return client


def deploy(database_url: str, redis_url: str, instance_dir: Path) -> Deployment:
    """Migrate and seed ``database_url``, then build an app on it."""
    upgrade(database_url)
    engine = make_engine(database_url)
    now = datetime.now(UTC)
    try:
        with session_scope(make_session_factory(engine)) as session:
            seed_demo(session, REPO / "templates", now)
            pm = user_by_email(session, "pm@demo.launchpad")
            token = create_token(
                session, pm, label="ops test", read_only=False, expires_days=None, now=now
            ).secret
            scope = parse_scope(session, "person", pm, None)
            feed = create_feed_token(session, pm, scope, label="ops", now=now).secret
    finally:
        engine.dispose()
    settings = Settings.from_env(
        {},
        instance_dir=instance_dir,
        database_url=database_url,
        redis_url=redis_url,
        secret_key="ops-test-secret-key-0123456789",
    )
    return Deployment(create_app(settings), token, f"/cal/{feed}/mine.ics")


@pytest.fixture
def dispose_apps() -> Iterator[list[Flask]]:
    apps: list[Flask] = []
    yield apps
    for app in apps:
        get_state(app).engine.dispose()
