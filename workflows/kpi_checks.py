"""KPI check jobs: materialise rows, sweep due ones into claims, evaluate claims in batches.

An RQ job costs milliseconds on its own, so one job evaluates a whole chunk of checks. The
sweep commits its claim before enqueueing; a lost job is found by its expired lease.
"""

from __future__ import annotations

import logging

from launchpad.background import enqueue, job_id_for
from launchpad.db import session_scope
from launchpad.services.check_claims import claim_due_checks
from launchpad.services.check_evaluation import Evaluated, evaluate_checks
from launchpad.services.check_schedule import materialize_checks as materialize
from workflows import failpoints
from workflows.context import JobContext, current

log = logging.getLogger(__name__)
EVALUATE = "workflows.kpi_checks.evaluate_batch"
DISPATCH = "workflows.notifications.dispatch_outbox"
CLAIMS_PER_SWEEP = 20  # chunks claimed per transaction: short locks, no giant IN lists


def sweep_due_checks() -> int:
    """The cron tick: claim due checks and enqueue their evaluation."""
    return sweep(current())


def evaluate_batch(check_ids: list[int]) -> dict[str, int]:
    """The job of one chunk."""
    result = evaluate(current(), [int(i) for i in check_ids])
    return {"checks": result.checks, "notifications": result.notifications}


def materialize_checks() -> int:
    """The cron tick: add the checks that came within the horizon."""
    return materialize_due(current())


def sweep(ctx: JobContext) -> int:
    """Claim every due check and enqueue one evaluation job per chunk; return the count."""
    size = ctx.tuning.check_batch_size
    swept = 0
    while True:
        with session_scope(ctx.sessions) as session:
            claim = claim_due_checks(
                session, ctx.now(), ctx.tuning.check_lease, size * CLAIMS_PER_SWEEP
            )
        if claim is None:
            break
        for index, chunk in enumerate(claim.chunks(size)):
            job_id = job_id_for("kpi-eval", claim.token, index)
            enqueue(ctx.connection, "kpi", EVALUATE, chunk, job_id=job_id)
        swept += len(claim.ids)
        if len(claim.ids) < size * CLAIMS_PER_SWEEP:
            break
    if swept:
        log.info("swept %d due checks", swept)
    return swept


def evaluate(ctx: JobContext, check_ids: list[int]) -> Evaluated:
    """Evaluate a chunk in one transaction; then nudge the outbox dispatcher."""
    with session_scope(ctx.sessions) as session:
        result = evaluate_checks(session, check_ids, ctx.now())
        failpoints.reached("kpi-evaluated")
    if result.notifications:
        enqueue(ctx.connection, "notify", DISPATCH, job_id="notify-dispatch")
    return result


def materialize_due(ctx: JobContext) -> int:
    with session_scope(ctx.sessions) as session:
        added = materialize(session, ctx.now(), ctx.tuning.horizon)
    if added:
        log.info("materialised %d checks", added)
    return added
