"""Outbox dispatch and delivery jobs on the `notify` queue.

`dispatch_outbox` claims due messages (committed, with a lease) and enqueues one delivery
job each, with an id made of the message and the attempt. `deliver` does the network call
outside any transaction and records the answer under its claim. In-app delivery writes
the inbox rows and settles the message in one transaction: exactly once.
"""

from __future__ import annotations

import random
from datetime import timedelta

from sqlalchemy.orm import Session

from launchpad.background import enqueue, job_id_for
from launchpad.db import session_scope
from launchpad.outbound.formats import render
from launchpad.planning.delivery_policy import RetryPolicy
from launchpad.services.deliveries import (
    AttemptResult,
    Delivery,
    deliver_in_app,
    load_delivery,
    record_attempt,
)
from launchpad.services.delivery_claims import claim_due_messages
from launchpad.services.leases import begin_write
from workflows import failpoints
from workflows.context import JobContext, current
from workflows.senders import send

DELIVER = "workflows.notifications.deliver"
DISPATCH_LIMIT = 200


def dispatch_outbox() -> int:
    """The cron tick (and the nudge after an evaluation)."""
    return dispatch(current())


def deliver(message_id: int, token: str) -> str:
    """The job of one claimed message."""
    return deliver_message(current(), int(message_id), str(token))


def dispatch(ctx: JobContext) -> int:
    """Claim due messages and enqueue their deliveries; return how many."""
    with session_scope(ctx.sessions) as session:
        claims = claim_due_messages(session, ctx.now(), ctx.tuning.delivery_lease, DISPATCH_LIMIT)
    for claim in claims:
        job_id = job_id_for("notify", claim.message_id, claim.attempt)
        enqueue(ctx.connection, "notify", DELIVER, claim.message_id, claim.token, job_id=job_id)
    return len(claims)


def deliver_message(ctx: JobContext, message_id: int, token: str) -> str:
    """Deliver one claimed message and record the verdict (or nothing, if unclaimed)."""
    with session_scope(ctx.sessions) as session:
        delivery = load_delivery(session, message_id, token, ctx.settings.secret_key)
    if delivery is None:
        return "not claimed"
    rendered = render(delivery.event_type, delivery.payload, ctx.settings.base_url)
    started = ctx.now()
    if delivery.kind == "in_app":
        with session_scope(ctx.sessions) as session:
            begin_write(session)
            deliver_in_app(session, delivery, rendered.title, rendered.text, rendered.link, started)
            return _record(ctx, session, delivery, AttemptResult(started, 200))
    result = send(delivery, rendered, ctx.settings, ctx.tuning, started)
    failpoints.reached("delivery-sent")
    with session_scope(ctx.sessions) as session:
        begin_write(session)
        return _record(ctx, session, delivery, result)


def _record(ctx: JobContext, session: Session, delivery: Delivery, result: AttemptResult) -> str:
    """The verdict under the configured retry policy (jitter from the process's RNG)."""
    policy = RetryPolicy(
        base=timedelta(seconds=ctx.tuning.retry_base_seconds),
        cap=timedelta(seconds=ctx.tuning.retry_cap_seconds),
        max_attempts=ctx.tuning.delivery_max_attempts,
    )
    verdict = record_attempt(session, delivery, result, policy, ctx.now(), random.random())
    return verdict.value
