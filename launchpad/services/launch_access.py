"""Loading a launch for a change: existence, optimistic locking and its work calendar."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from launchpad.models import Launch, TaskDependency
from launchpad.planning.workdays import WorkCalendar, parse_workdays, work_calendar
from launchpad.services.audit import changes_since
from launchpad.services.errors import InvalidInput, NotFound, StaleEdit
from launchpad.services.template_library import spec_of

CLOSED_STATUSES = ("closed", "cancelled")
SQLITE_BUSY_SNAPSHOT = 517
_IDS_PER_QUERY = 5000  # bound parameters per IN list, well under SQLite's limit


def get_launch(session: Session, launch_id: int) -> Launch:
    launch = session.get(Launch, launch_id)
    if launch is None:
        raise NotFound("launch", launch_id)
    return launch


def launch_for_change(session: Session, launch_id: int, expected_version: int | None) -> Launch:
    """The launch, if the caller saw its current version (None skips the check)."""
    launch = get_launch(session, launch_id)
    if expected_version is not None and expected_version != launch.version:
        raise StaleEdit(launch.version, changes_since(session, launch.id, expected_version))
    if launch.status in CLOSED_STATUSES:
        raise InvalidInput({"status": f"the launch is {launch.status}; it can no longer change"})
    return launch


def launch_calendar(launch: Launch) -> WorkCalendar:
    spec = spec_of(launch.template_version)
    workdays = parse_workdays(spec.calendar.workdays)
    return work_calendar(launch.holidays, launch.launch_date, workdays)


def touch(session: Session, launch: Launch, now: datetime) -> None:
    """Bump the launch's version (optimistic lock) for a change to its plan."""
    launch.updated_at = now
    flush_launch(session, launch)


def flush_launch(session: Session, launch: Launch) -> None:
    """Flush; a concurrent writer that got there first turns into StaleEdit (409)."""
    flush_or_stale(session, launch.id, launch.version)


def flush_or_stale(session: Session, launch_id: int, seen_version: int) -> None:
    """Flush, turning "someone else wrote first" into StaleEdit on every database.

    PostgreSQL and SQLite both report a lost optimistic-lock race as StaleDataError;
    SQLite in WAL mode may also refuse to upgrade a read snapshot that another writer
    made stale (SQLITE_BUSY_SNAPSHOT): the same conflict, reported earlier.
    """
    try:
        session.flush()
    except (StaleDataError, OperationalError) as error:
        if isinstance(error, OperationalError) and not _stale_snapshot(error):
            raise
        session.rollback()
        current = session.get_one(Launch, launch_id)
        raise StaleEdit(current.version, changes_since(session, launch_id, seen_version)) from error


def _stale_snapshot(error: OperationalError) -> bool:
    return getattr(error.orig, "sqlite_errorcode", None) == SQLITE_BUSY_SNAPSHOT


def dependency_keys(session: Session, keys: dict[int, str]) -> dict[str, tuple[str, ...]]:
    """task key -> keys of the tasks it waits for (`keys`: the launch's tasks by id).

    Looked up by the ids the caller already read, on the primary key: joining on the
    launch let PostgreSQL walk every task of every launch when its statistics misled it.
    """
    ids = sorted(keys)
    depends: dict[str, list[str]] = {}
    for start in range(0, len(ids), _IDS_PER_QUERY):
        edges = session.execute(
            select(TaskDependency.task_id, TaskDependency.depends_on_id).where(
                TaskDependency.task_id.in_(ids[start : start + _IDS_PER_QUERY])
            )
        )
        for task_id, depends_on_id in edges:
            depends.setdefault(keys[task_id], []).append(keys[depends_on_id])
    return {key: tuple(values) for key, values in depends.items()}
