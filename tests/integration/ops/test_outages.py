"""Faults: PostgreSQL restarting, Redis away, a migration that fails half-way.

Each runs against servers of its own (never the machine's shared ones), so the tests can
stop and start them; they run the same whatever LAUNCHPAD_TEST_DATABASE_URL says.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import event, text
from sqlalchemy.exc import OperationalError

from launchpad.background import enqueue
from launchpad.extensions import get_session, get_state

from .conftest import Deployment, create_database, deploy
from .servers import PrivateCluster, PrivateRedis

pytestmark = pytest.mark.slow


def test_a_postgresql_restart_is_a_503_gap_then_service_resumes(
    private_cluster: PrivateCluster, private_redis: PrivateRedis, tmp_path: Path, dispose_apps: list
) -> None:
    url = create_database(private_cluster, "lp_restart")
    deployment = deploy(url, private_redis.url, tmp_path / "instance")
    dispose_apps.append(deployment.app)
    api, browser = deployment.app.test_client(), deployment.signed_in_client()
    assert_everything_answers(deployment, api, browser)

    private_cluster.stop()
    answer = api.get("/api/v1/launches", headers=deployment.bearer)
    assert answer.status_code == 503
    assert answer.mimetype == "application/problem+json"
    assert answer.headers["Retry-After"]
    assert answer.json is not None and answer.json["status"] == 503
    page = browser.get("/")
    assert page.status_code == 503
    assert page.mimetype == "text/html"
    assert "briefly unavailable" in page.get_data(as_text=True)
    assert "Traceback" not in page.get_data(as_text=True)
    assert api.get(deployment.feed_path).status_code == 503  # calendar apps retry
    ready = api.get("/readyz")
    assert ready.status_code == 503
    assert ready.json is not None and "database" in ready.json["failing"]

    private_cluster.start()  # same app, same pool: nothing restarted on our side
    assert_everything_answers(deployment, api, browser)


def assert_everything_answers(deployment: Deployment, api: object, browser: object) -> None:
    from flask.testing import FlaskClient

    assert isinstance(api, FlaskClient) and isinstance(browser, FlaskClient)
    launches = api.get("/api/v1/launches", headers=deployment.bearer)
    assert launches.status_code == 200, launches.get_data(as_text=True)
    assert browser.get("/").status_code == 200
    assert api.get(deployment.feed_path).status_code == 200


def test_with_redis_down_the_ui_and_api_keep_working_and_jobs_resume(
    database_url: str, private_redis: PrivateRedis, tmp_path: Path, dispose_apps: list
) -> None:
    deployment = deploy(database_url, private_redis.url, tmp_path / "instance")
    dispose_apps.append(deployment.app)
    browser = deployment.signed_in_client()
    client = deployment.app.test_client()
    import redis

    jobs = redis.Redis.from_url(private_redis.url)

    private_redis.stop()
    assert browser.get("/").status_code == 200
    assert deployment.signed_in_client().get("/").status_code == 200  # sign-in throttle off
    assert client.get("/api/v1/launches", headers=deployment.bearer).status_code == 200
    assert client.get(deployment.feed_path).status_code == 200
    ready = client.get("/readyz")
    assert ready.status_code == 503
    assert ready.json is not None and {"redis", "cron"} <= set(ready.json["failing"])
    metrics = client.get("/metrics").get_data(as_text=True)
    assert 'launchpad_source_up{source="redis"} 0.0' in metrics
    with pytest.raises(redis.ConnectionError):
        enqueue(jobs, "maintenance", "workflows.maintenance.heartbeat")

    private_redis.start()  # the same clients reconnect on their own
    assert enqueue(jobs, "maintenance", "workflows.maintenance.heartbeat")
    assert 'launchpad_source_up{source="redis"} 1.0' in client.get("/metrics").get_data(
        as_text=True
    )
    jobs.close()


def test_a_database_lost_after_the_answer_was_made_still_sends_the_answer(
    app: Flask, caplog: pytest.LogCaptureFixture
) -> None:
    """The server dies between the view and teardown: the closing ROLLBACK fails."""
    engine = get_state(app).engine

    @app.get("/_reads_then_the_database_dies")
    def reads() -> str:
        return str(get_session().execute(text("SELECT 41 + 1")).scalar())

    def gone(_connection: Any) -> None:
        raise OperationalError("ROLLBACK", {}, Exception("server closed the connection"))

    event.listen(engine, "rollback", gone)
    try:
        with caplog.at_level(logging.WARNING, logger="launchpad.extensions"):
            answer = app.test_client().get("/_reads_then_the_database_dies")
    finally:
        event.remove(engine, "rollback", gone)
    assert answer.status_code == 200 and answer.get_data(as_text=True) == "42"
    assert "closing a request's database session failed: OperationalError" in caplog.text
    assert app.test_client().get("/healthz").status_code == 200
