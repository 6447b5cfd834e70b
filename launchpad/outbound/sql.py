"""Reading one number from someone else's database, read-only and with a time limit.

PostgreSQL: the session is read-only (`default_transaction_read_only`) with a
`statement_timeout`. SQLite: the file is opened read-only and a progress handler aborts a
query that runs too long. Anything but exactly one numeric cell is an error.
"""

from __future__ import annotations

import math
import time
from typing import Any

from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError
from sqlalchemy.pool import NullPool


class SqlSourceError(RuntimeError):
    """The query could not run or did not return exactly one number."""


def read_number(dsn: str, query: str, timeout_seconds: float) -> float:
    engine = _engine(dsn, timeout_seconds)
    try:
        with engine.connect() as connection:
            rows = connection.execute(text(query)).fetchmany(2)
    except SQLAlchemyError as error:
        cause = getattr(error, "orig", None) or error
        raise SqlSourceError(f"query failed: {str(cause).splitlines()[0]}") from None
    finally:
        engine.dispose()
    if len(rows) != 1 or len(rows[0]) != 1:
        raise SqlSourceError("the query must return exactly one row with one column")
    return _number(rows[0][0])


def _engine(dsn: str, timeout_seconds: float) -> Engine:
    try:
        url = make_url(dsn)
    except ArgumentError:
        raise SqlSourceError("the connection string is not a database URL") from None
    if url.get_backend_name() == "postgresql":
        milliseconds = int(timeout_seconds * 1000)
        options = f"-c default_transaction_read_only=on -c statement_timeout={milliseconds}"
        return create_engine(
            url, poolclass=NullPool, connect_args={"options": options, "connect_timeout": 3}
        )
    if url.get_backend_name() == "sqlite" and url.database:
        readonly = f"sqlite:///file:{url.database}?mode=ro&uri=true"
        engine = create_engine(readonly, poolclass=NullPool)
        _limit_sqlite(engine, timeout_seconds)
        return engine
    raise SqlSourceError("only postgresql:// and sqlite:/// sources are supported")


def _limit_sqlite(engine: Engine, timeout_seconds: float) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        deadline = time.monotonic() + timeout_seconds
        dbapi_connection.execute("PRAGMA query_only = ON")
        dbapi_connection.set_progress_handler(lambda: int(time.monotonic() > deadline), 10_000)


def _number(value: Any) -> float:
    if isinstance(value, bool) or value is None:
        raise SqlSourceError(f"the query returned {value!r}, not a number")
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise SqlSourceError(f"the query returned {value!r}, not a number") from None
    if not math.isfinite(number):
        raise SqlSourceError(f"the query returned {value!r}, not a finite number")
    return number
