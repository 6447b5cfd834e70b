"""Pulled sources: HTTP JSON with secret headers and a size cap, read-only SQL, errors."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from sqlalchemy import select
from sqlalchemy.orm import Session

from launchpad.models import Measurement, MeasurementSource
from launchpad.services.errors import InvalidInput
from launchpad.services.measurement_sources import NewSource, create_source
from launchpad.services.secrets import store_secret
from workflows.sources import collect_due

SECRET = "test-secret-key-0123456789"


def source(session: Session, ctx, launch, kind: str, config: dict, **more) -> MeasurementSource:
    made = create_source(session, NewSource(launch.id, "signups", kind, config, **more), ctx.now())
    session.commit()
    return made


def values(session: Session) -> list[tuple[float, str]]:
    session.commit()
    return [
        (m.value, m.source) for m in session.scalars(select(Measurement).order_by(Measurement.id))
    ]


def test_http_source_with_a_secret_header(session, ctx, launch, httpserver: HTTPServer):
    store_secret(session, "stats-token", "Bearer s3cret", SECRET, ctx.now())
    httpserver.expect_request(
        "/stats", headers={"Authorization": "Bearer s3cret"}
    ).respond_with_json({"data": {"series": [{"v": 3}, {"v": 42}]}})
    config = {
        "url": httpserver.url_for("/stats"),
        "path": "$.data.series[-1].v",
        "headers": {"Authorization": "stats-token"},
        "allow_private": True,
    }
    made = source(session, ctx, launch, "http", config)
    assert collect_due(ctx) == 1
    assert values(session) == [(42.0, "http")]
    assert collect_due(ctx) == 0  # not due again before its interval
    session.refresh(made)
    assert made.last_error is None and made.last_success_at is not None


def test_http_source_errors_are_kept_on_the_source(session, ctx, launch, httpserver):
    httpserver.expect_request("/big").respond_with_data("x" * 2_000_000)
    made = source(
        session,
        ctx,
        launch,
        "http",
        {"url": httpserver.url_for("/big"), "path": "$.v", "allow_private": True},
    )
    collect_due(ctx)
    session.refresh(made)
    assert "larger than" in (made.last_error or "") and values(session) == []


def test_sql_source_reads_one_number_read_only(session, ctx, launch, tmp_path: Path):
    database = tmp_path / "warehouse.db"
    with sqlite3.connect(database) as connection:
        connection.execute("CREATE TABLE signups (n INTEGER)")
        connection.executemany("INSERT INTO signups VALUES (?)", [(1,), (2,), (3,)])
    connection.close()
    store_secret(session, "warehouse", f"sqlite:///{database}", SECRET, ctx.now())
    source(
        session,
        ctx,
        launch,
        "sql",
        {"secret": "warehouse", "query": "SELECT count(*) FROM signups"},
    )
    collect_due(ctx)
    assert values(session) == [(3.0, "sql")]


def test_sql_source_cannot_write(session, ctx, launch, tmp_path: Path):
    database = tmp_path / "warehouse.db"
    with sqlite3.connect(database) as connection:
        connection.execute("CREATE TABLE t (n INTEGER)")
    connection.close()
    store_secret(session, "warehouse", f"sqlite:///{database}", SECRET, ctx.now())
    query = "WITH x AS (SELECT 1) INSERT INTO t SELECT * FROM x RETURNING n"
    made = source(session, ctx, launch, "sql", {"secret": "warehouse", "query": query})
    collect_due(ctx)
    session.refresh(made)
    assert "readonly" in (made.last_error or "") and values(session) == []
    with sqlite3.connect(database) as connection:
        assert connection.execute("SELECT count(*) FROM t").fetchone() == (0,)
    connection.close()


@pytest.mark.parametrize(
    ("kind", "config"),
    [
        ("http", {"url": "http://10.0.0.5/stats", "path": "$.v"}),
        ("http", {"url": "https://stats.example.com/", "path": "data.v"}),
        ("sql", {"secret": "x", "query": "DELETE FROM signups"}),
        ("ftp", {}),
    ],
)
def test_bad_source_configurations_are_refused(session, ctx, launch, kind, config):
    with pytest.raises(InvalidInput):
        create_source(session, NewSource(launch.id, "signups", kind, config), ctx.now())
