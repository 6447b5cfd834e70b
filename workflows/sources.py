"""Measurement collectors: pull due HTTP JSON and SQL sources into measurements.

Each pull runs outside any transaction (a slow source holds no lock) with the source's
own limits: connect 3 s and read 10 s for HTTP with a body size cap, a statement timeout
for SQL. A failure is stored on the source, where evaluation turns it into ERROR.
"""

from __future__ import annotations

import json
from datetime import timedelta

from launchpad.db import session_scope
from launchpad.outbound import http
from launchpad.outbound.sql import SqlSourceError, read_number
from launchpad.planning.json_path import JsonPathError, find_number
from launchpad.services.errors import ServiceError
from launchpad.services.measurement_sources import (
    Pull,
    claim_due_sources,
    prepare_pull,
    record_pull,
)
from workflows.context import JobContext, current

CLAIM_LIMIT = 50


def collect_due_sources() -> int:
    """The cron tick."""
    return collect_due(current())


def collect_due(ctx: JobContext) -> int:
    """Pull every due source once; return how many were pulled."""
    tuning = ctx.tuning
    lease = max(tuning.source_lease_seconds, tuning.connect_timeout + tuning.read_timeout + 5)
    with session_scope(ctx.sessions) as session:
        ids = claim_due_sources(session, ctx.now(), timedelta(seconds=lease), CLAIM_LIMIT)
    for source_id in ids:
        collect(ctx, source_id)
    return len(ids)


def collect(ctx: JobContext, source_id: int) -> float | None:
    """Pull one source and record the outcome; returns the value (None on error)."""
    try:
        with session_scope(ctx.sessions) as session:
            pull = prepare_pull(session, source_id, ctx.settings.secret_key)
        value, error = _pull(ctx, pull), None
    except (ServiceError, http.OutboundError, JsonPathError, SqlSourceError, ValueError) as failure:
        value, error = None, str(failure)
    with session_scope(ctx.sessions) as session:
        record_pull(session, source_id, ctx.now(), value, error)
    return value


def _pull(ctx: JobContext, pull: Pull) -> float:
    tuning = ctx.tuning
    if pull.kind == "sql":
        timeout = float(pull.config.get("timeout_seconds", tuning.sql_timeout_seconds))
        return read_number(pull.dsn or "", str(pull.config["query"]), timeout)
    limits = http.Limits(
        tuning.connect_timeout,
        tuning.read_timeout,
        tuning.response_cap_bytes,
        bool(pull.config.get("allow_private")),
    )
    answer = http.request(
        "GET",
        str(pull.config["url"]),
        limits,
        headers={"Accept": "application/json", **pull.headers},
    )
    if answer.status != 200:
        raise http.OutboundError(f"HTTP {answer.status} from the source")
    if answer.truncated:
        raise http.OutboundError(f"the answer is larger than {tuning.response_cap_bytes} bytes")
    return find_number(json.loads(answer.body), str(pull.config["path"]))
