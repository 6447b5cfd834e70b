"""The only door to RQ: enqueue jobs by dotted name, with deterministic job ids.

Jobs are named, not imported, so ``launchpad`` never imports ``workflows``; their arguments
are JSON (ids, not objects). A deterministic id makes enqueueing idempotent: while a job with
that id is waiting or running, enqueueing it again returns the existing id.
"""

from __future__ import annotations

import math
import re
from datetime import UTC, date, datetime
from typing import Any

import redis
from rq.exceptions import DuplicateJobError, NoSuchJobError
from rq.job import Job, JobStatus
from rq.serializers import JSONSerializer

from launchpad.broker import QUEUE_NAMES, get_queue

_DOTTED_NAME = re.compile(r"[A-Za-z_]\w*(\.[A-Za-z_]\w*)+")
_ID_PART = re.compile(r"[A-Za-z0-9_-]+")  # what RQ accepts in a job id
_DONE = {JobStatus.FINISHED, JobStatus.FAILED, JobStatus.STOPPED, JobStatus.CANCELED}


def enqueue(
    connection: redis.Redis,
    queue_name: str,
    func: str,
    *args: Any,
    job_id: str | None = None,
    **kwargs: Any,
) -> str:
    """Put ``func(*args, **kwargs)`` on a queue and return the job id.

    With ``job_id``, a job of that id that is still queued, scheduled or running is not
    duplicated; a finished or failed one is replaced, since every job is idempotent.
    """
    queue = get_queue(queue_name, connection)
    if not _DOTTED_NAME.fullmatch(func):
        raise ValueError(f"job function must be a dotted path like 'workflows.x.run', not {func!r}")
    _check_json(list(args), f"{func} args")
    _check_json(kwargs, f"{func} kwargs")
    if job_id is None:
        return queue.enqueue_call(func, args=args, kwargs=kwargs).id
    _check_job_id(job_id)
    for _ in range(2):
        try:
            return queue.enqueue_call(func, args=args, kwargs=kwargs, job_id=job_id, unique=True).id
        except DuplicateJobError:
            if not _discard_if_done(connection, job_id):
                return job_id
    return job_id  # another process re-enqueued it between our two attempts


def job_id_for(kind: str, *parts: str | int | date | datetime) -> str:
    """A deterministic job id such as ``kpi-eval-42-20270302T0900Z``.

    Datetimes must be aware and are written in UTC, so every process derives the same id.
    """
    words = [kind, *(_id_part(part) for part in parts)]
    for word in words:
        if not _ID_PART.fullmatch(word):
            raise ValueError(f"job id part {word!r} may only hold letters, digits, '_' and '-'")
    return "-".join(words)


def _id_part(part: str | int | date | datetime) -> str:
    if isinstance(part, datetime):
        if part.tzinfo is None or part.utcoffset() is None:
            raise ValueError(f"naive datetime {part!r} in a job id: pass an aware datetime")
        utc = part.astimezone(UTC)
        return utc.strftime("%Y%m%dT%H%MZ" if utc.second == 0 else "%Y%m%dT%H%M%SZ")
    if isinstance(part, date):
        return part.strftime("%Y%m%d")
    return str(part)


def _check_job_id(job_id: str) -> None:
    if not _ID_PART.fullmatch(job_id):
        raise ValueError(f"job id {job_id!r} may only hold letters, digits, '_' and '-'")


def _discard_if_done(connection: redis.Redis, job_id: str) -> bool:
    """Delete a finished job so its id can be reused; False if it is still pending."""
    try:
        job = Job.fetch(job_id, connection=connection, serializer=JSONSerializer)
    except NoSuchJobError:
        return True  # expired meanwhile: the id is free
    if job.get_status(refresh=False) not in _DONE:
        return False
    job.delete()
    return True


def _check_json(value: Any, where: str) -> None:
    """Refuse what JSON cannot carry faithfully, naming the offending path."""
    if value is None or isinstance(value, bool | int | str):
        return
    if isinstance(value, float):
        if not math.isfinite(value):
            raise TypeError(f"{where}: {value!r} is not valid JSON")
        return
    if isinstance(value, list | tuple):
        for index, item in enumerate(value):
            _check_json(item, f"{where}[{index}]")
        return
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                raise TypeError(f"{where}: key {key!r} is not a string")
            _check_json(item, f"{where}[{key!r}]")
        return
    raise TypeError(
        f"{where}: {type(value).__name__} is not JSON-serialisable; pass ids and plain values"
    )


def queue_depths(connection: redis.Redis) -> dict[str, int]:
    """Jobs waiting on each of Launchpad's queues (for `launchpad jobs status`)."""
    return {name: get_queue(name, connection).count for name in QUEUE_NAMES}
