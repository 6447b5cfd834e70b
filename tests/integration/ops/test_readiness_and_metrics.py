"""/healthz, /readyz and /metrics: what each reports, and who may read the metrics."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import redis
from flask import Flask
from sqlalchemy.orm import Session

from launchpad import create_app
from launchpad.config import Settings
from launchpad.extensions import get_state
from launchpad.models import DeliveryAttempt, Destination, OutboxMessage
from launchpad.observability.redis_probe import HEARTBEAT_KEY
from launchpad.services.ops_stats import ops_stats
from workflows.maintenance import HEARTBEAT_KEY as WRITTEN_KEY

NOW = datetime(2027, 3, 9, 8, 0, tzinfo=UTC)


def beat(client: redis.Redis, age: timedelta = timedelta()) -> None:
    client.set(HEARTBEAT_KEY, (datetime.now(UTC) - age).isoformat(timespec="seconds"))


def test_the_probe_reads_the_key_the_heartbeat_job_writes() -> None:
    assert HEARTBEAT_KEY == WRITTEN_KEY


def test_ready_when_database_redis_migrations_and_cron_are(
    app: Flask, redis_conn: redis.Redis
) -> None:
    beat(redis_conn)
    answer = app.test_client().get("/readyz")
    assert answer.status_code == 200, answer.json
    assert answer.json is not None
    assert answer.json["failing"] == []
    assert set(answer.json["checks"]) == {"database", "migrations", "redis", "cron"}


def test_a_missing_or_stale_heartbeat_is_not_ready(app: Flask, redis_conn: redis.Redis) -> None:
    client = app.test_client()
    answer = client.get("/readyz")
    assert answer.status_code == 503
    assert answer.json is not None and answer.json["failing"] == ["cron"]
    beat(redis_conn, age=timedelta(minutes=10))
    answer = client.get("/readyz")
    assert answer.status_code == 503
    assert "limit 120s" in answer.json["checks"]["cron"]["detail"]


def test_an_unmigrated_database_is_not_ready(
    settings: Settings, tmp_path: Path, redis_conn: redis.Redis
) -> None:
    beat(redis_conn)
    empty = replace(settings, database_url=f"sqlite:///{tmp_path / 'empty.db'}")
    app = create_app(empty)
    try:
        answer = app.test_client().get("/readyz")
    finally:
        get_state(app).engine.dispose()
    assert answer.status_code == 503
    assert answer.json is not None and answer.json["failing"] == ["migrations"]
    assert "no revision" in answer.json["checks"]["migrations"]["detail"]


def test_unreachable_redis_fails_redis_and_cron_quickly(
    settings: Settings, database_url: str
) -> None:
    app = create_app(replace(settings, redis_url="redis://127.0.0.1:1/0"))
    try:
        answer = app.test_client().get("/readyz")
    finally:
        get_state(app).engine.dispose()
    assert answer.status_code == 503
    assert answer.json is not None and answer.json["failing"] == ["cron", "redis"]
    assert answer.json["checks"]["redis"]["ms"] < 2500


def test_metrics_report_latency_queues_and_kpi_work(app: Flask, redis_conn: redis.Redis) -> None:
    beat(redis_conn)
    client = app.test_client()
    client.get("/healthz")
    text = client.get("/metrics").get_data(as_text=True)
    assert 'endpoint="health.healthz"' in text
    assert 'status="2xx"' in text
    for line in (
        'launchpad_queue_depth{queue="kpi"} 0.0',
        'launchpad_source_up{source="database"} 1.0',
        "launchpad_kpi_check_lag_seconds 0.0",
        'launchpad_deliveries_total{outcome="delivered"} 0.0',
    ):
        assert line in text


def test_metrics_are_for_loopback_or_the_token(settings: Settings, database_url: str) -> None:
    open_app = create_app(settings)
    token_app = create_app(replace(settings, metrics_token="metrics-token-0123456789"))
    outside = {"REMOTE_ADDR": "203.0.113.7"}
    try:
        client = open_app.test_client()
        assert client.get("/metrics", environ_base=outside).status_code == 403
        proxied = client.get("/metrics", headers={"X-Forwarded-For": "203.0.113.7"})
        assert proxied.status_code == 403
        client = token_app.test_client()
        refused = client.get("/metrics", environ_base=outside)
        assert refused.status_code == 401
        assert refused.headers["WWW-Authenticate"].startswith("Bearer")
        wrong = {"Authorization": "Bearer nope"}
        assert client.get("/metrics", environ_base=outside, headers=wrong).status_code == 401
        right = {"Authorization": "Bearer metrics-token-0123456789"}
        assert client.get("/metrics", environ_base=outside, headers=right).status_code == 200
    finally:
        get_state(open_app).engine.dispose()
        get_state(token_app).engine.dispose()


def test_ops_stats_count_outbox_and_deliveries(session: Session) -> None:
    destination = Destination(
        kind="email",
        name="Ops",
        address="ops@example.com",
        audience="ops",
        created_at=NOW,
        updated_at=NOW,
    )
    session.add(destination)
    session.flush()
    for n, status in enumerate(("pending", "pending", "delivered")):
        message = OutboxMessage(
            idempotency_key=f"k{n}",
            destination_id=destination.id,
            event_type="kpi.error",
            payload={},
            status=status,
            next_attempt_at=NOW - timedelta(minutes=n + 1),
            created_at=NOW,
        )
        session.add(message)
        session.flush()
        if status == "delivered":
            session.add(
                DeliveryAttempt(
                    message_id=message.id,
                    attempt=1,
                    started_at=NOW,
                    finished_at=NOW,
                    verdict="delivered",
                )
            )
    session.commit()
    stats = ops_stats(session, NOW)
    assert stats.outbox == {"pending": 2, "delivered": 1}
    assert stats.outbox_lag_seconds == 120.0
    assert stats.deliveries == {"delivered": 1}
    assert stats.check_lag_seconds == 0.0
