"""``python -m workflows.cron``: the single process enqueueing periodic ticks (``launchpad cron``).

A tick is a dotted job name, an interval and a queue. Each tick has a fixed job id, so if
the workers are down the cron does not pile up copies of the same tick.
"""

from __future__ import annotations

import logging
from typing import NamedTuple

import redis
from rq.cron import CronJob, CronScheduler
from rq.job import Job
from rq.serializers import JSONSerializer

from launchpad.background import enqueue, job_id_for
from workflows import runtime

log = logging.getLogger(__name__)


class Tick(NamedTuple):
    """A job the cron enqueues every ``seconds``."""

    func: str
    seconds: int
    queue: str = "maintenance"


TICKS: tuple[Tick, ...] = (
    Tick("workflows.maintenance.heartbeat", 30),
    Tick("workflows.kpi_checks.sweep_due_checks", 10, "kpi"),
    Tick("workflows.notifications.dispatch_outbox", 5, "notify"),
    Tick("workflows.leases.reap_stale", 30),
    Tick("workflows.kpi_checks.materialize_checks", 300),
    Tick("workflows.sources.collect_due_sources", 30),
    Tick("workflows.reminders.send_digests", 300, "notify"),
)


def tuned(ticks: tuple[Tick, ...], seconds: int) -> tuple[Tick, ...]:
    """Every tick at `seconds` (LAUNCHPAD_TICK_SECONDS, for tests and demos); 0 keeps them."""
    return tuple(tick._replace(seconds=seconds) for tick in ticks) if seconds else ticks


class TickJob(CronJob):
    """An RQ cron entry enqueued through ``launchpad.background`` (JSON, fixed job id).

    RQ's own CronJob pickles its jobs, which our JSON workers could not read.
    """

    def enqueue(self, connection: redis.Redis) -> Job:
        job_id = job_id_for("cron", self.func_name.replace(".", "_"))
        enqueue(connection, self.queue_name, self.func_name, *self.args, job_id=job_id)
        log.info("tick %s enqueued on %s", self.func_name, self.queue_name)
        return Job(job_id, connection=connection, serializer=JSONSerializer)


class LaunchpadCron(CronScheduler):
    """RQ's CronScheduler (loop, registry, heartbeat) with ticks named by dotted path."""

    def add_tick(self, tick: Tick) -> TickJob:
        job = TickJob(queue_name=tick.queue, func_name=tick.func, interval=tick.seconds)
        self._cron_jobs.append(job)
        return job


def build_cron(connection: redis.Redis, ticks: tuple[Tick, ...] = TICKS) -> LaunchpadCron:
    """The scheduler with every tick registered (separate from main() for tests)."""
    cron = LaunchpadCron(connection=connection)
    for tick in ticks:
        cron.add_tick(tick)
    return cron


def main() -> int:
    """Run the ticks until SIGINT or SIGTERM."""
    runtime.configure_logging()
    ticks = tuned(TICKS, runtime.tuning().tick_seconds)
    cron = build_cron(runtime.redis_client(), ticks)
    log.info(
        "cron with %d ticks: %s", len(ticks), ", ".join(f"{t.func}/{t.seconds}s" for t in ticks)
    )
    cron.start()  # type: ignore[no-untyped-call]  # rq leaves start() unannotated
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
