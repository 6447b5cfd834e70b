"""The two queries behind every feed: its cheap revision and its rows with cached bytes.

Both take the same filter, so the revision describes exactly the rows a fetch would
serve. Each is one statement whatever the feed's size.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from functools import lru_cache
from typing import Any

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Connection,
    Date,
    Row,
    Select,
    and_,
    bindparam,
    case,
    func,
    literal,
    literal_column,
    select,
)
from sqlalchemy.orm import Session

from launchpad.models import Launch, Task, TaskEvent
from launchpad.models.tasks import OPEN_TASK_STATUSES
from launchpad.services.feed_scopes import FeedScope

_MIX_MODULUS = 2_147_483_647  # a prime: the per-row mix spreads ids and versions over it
# Written into the SQL, not bound: the planner can then prove the open-task partial index
# applies (``ix_tasks_open_by_team``), and SQLAlchemy does not re-render a bound list into
# the statement on every execution.
_OPEN_STATUSES_AS_CONSTANTS: list[ColumnElement[str]] = [
    literal_column(f"'{status}'") for status in OPEN_TASK_STATUSES
]


def feed_filter(kind: str, phased: bool) -> list[ColumnElement[bool]]:
    """Open tasks of live launches in the scope, due by the horizon (overdue ones included).

    Written with bound parameters (`scope_id`, `horizon`, `phase`) so each statement is
    built once per kind of feed and only bound per fetch: building it is most of the cost.
    """
    column = {"person": Task.assignee_id, "team": Task.team_id, "launch": Task.launch_id}
    conditions = [
        column[kind] == bindparam("scope_id"),
        Task.status.in_(_OPEN_STATUSES_AS_CONSTANTS),
        Launch.status != "cancelled",
        Task.due_date <= bindparam("horizon", type_=Date),
    ]
    if phased:
        conditions.append(Task.phase == bindparam("phase"))
    return conditions


def revision(connection: Connection, scope: FeedScope, horizon: date) -> tuple[Any, ...]:
    """Count, a sum of per-row mixes of (id, task and launch version), the newest change.

    Every change to a task or its launch bumps a version, so a task that changes, arrives
    or leaves moves the count or the sum (the mix makes accidental cancelling out a
    one-in-two-billion event per change).
    """
    statement = _revision_statement(scope.kind, scope.phase is not None)
    return tuple(connection.execute(statement, _params(scope, horizon)).one())


def rows_with_events(
    connection: Connection, scope: FeedScope, horizon: date, variant: str, renderer: str
) -> Sequence[Row[int, date, bytes | None]]:
    """(id, due date, body) in feed order; body is None where the cached bytes are stale."""
    statement = _rows_statement(scope.kind, scope.phase is not None)
    params = {**_params(scope, horizon), "variant": variant, "renderer": renderer}
    return connection.execute(statement, params).all()


def feed_days(session: Session, scope: FeedScope, horizon: date) -> Sequence[Row[int, date]]:
    """(id, due date) in feed order, without the cache: for rendering from scratch."""
    statement = (
        select(Task.id, Task.due_date)
        .join(Launch, Launch.id == Task.launch_id)
        .where(*feed_filter(scope.kind, scope.phase is not None))
        .order_by(Task.due_date, Task.id)
    )
    return session.execute(statement, _params(scope, horizon)).all()


def _params(scope: FeedScope, horizon: date) -> dict[str, Any]:
    params: dict[str, Any] = {"scope_id": scope.id, "horizon": horizon}
    if scope.phase is not None:
        params["phase"] = scope.phase
    return params


@lru_cache(maxsize=8)
def _revision_statement(kind: str, phased: bool) -> Select[int, Any, Any]:
    def big(number: int) -> ColumnElement[int]:
        return literal(number, BigInteger)  # 64-bit arithmetic on every database

    mix = (
        Task.id * big(1_000_003) + Task.version * big(7_919) + Launch.version * big(104_729)
    ) % big(_MIX_MODULUS)
    return (
        select(func.count(Task.id), func.coalesce(func.sum(mix), 0), func.max(Task.updated_at))
        .select_from(Task)
        .join(Launch, Launch.id == Task.launch_id)
        .where(*feed_filter(kind, phased))
    )


@lru_cache(maxsize=8)
def _rows_statement(kind: str, phased: bool) -> Select[int, date, bytes | None]:
    fresh = and_(
        TaskEvent.task_version == Task.version,
        TaskEvent.launch_version == Launch.version,
        TaskEvent.renderer == bindparam("renderer"),
    )
    cached = and_(TaskEvent.task_id == Task.id, TaskEvent.variant == bindparam("variant"))
    return (
        select(Task.id, Task.due_date, case((fresh, TaskEvent.body), else_=None))
        .join(Launch, Launch.id == Task.launch_id)
        .outerjoin(TaskEvent, cached)
        .where(*feed_filter(kind, phased))
        .order_by(Task.due_date, Task.id)
    )
