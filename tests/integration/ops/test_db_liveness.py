"""Pooled connections: pinged only after sitting idle, and a dead pool recovers by itself."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.exc import OperationalError

from launchpad.db_liveness import ping_idle_connections

from .conftest import create_database
from .servers import PrivateCluster


@pytest.fixture
def url(private_cluster: PrivateCluster) -> str:
    return create_database(private_cluster, "lp_liveness")


def engine_with(url: str, idle_seconds: float) -> Engine:
    engine = create_engine(url)
    ping_idle_connections(engine, idle_seconds)
    return engine


@pytest.fixture
def admin(private_cluster: PrivateCluster) -> Iterator[Engine]:
    engine = create_engine(private_cluster.url, isolation_level="AUTOCOMMIT")
    yield engine
    engine.dispose()


def backend_pid(engine: Engine) -> int:
    with engine.connect() as connection:
        return int(connection.execute(text("SELECT pg_backend_pid()")).scalar_one())


def terminate(admin: Engine, pid: int) -> None:
    with admin.connect() as connection:
        connection.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})


def test_an_idle_connection_the_server_cut_is_replaced_unseen(url: str, admin: Engine) -> None:
    engine = engine_with(url, idle_seconds=0.0)
    try:
        killed = backend_pid(engine)
        terminate(admin, killed)
        assert backend_pid(engine) != killed  # no error: the ping found it dead
    finally:
        engine.dispose()


def test_a_busy_connection_is_not_pinged_and_one_failure_renews_the_pool(
    url: str, admin: Engine
) -> None:
    engine = engine_with(url, idle_seconds=3600.0)
    try:
        killed = backend_pid(engine)
        terminate(admin, killed)
        with pytest.raises(OperationalError):  # not pinged: the request itself fails (a 503)
            backend_pid(engine)
        assert backend_pid(engine) != killed  # the disconnect threw the pool away
    finally:
        engine.dispose()
