"""``python -m workflows.cron``: the single process enqueueing periodic ticks (``launchpad cron``).

A tick is a dotted job name, an interval and a queue. Each tick has a fixed job id, so if
the workers are down the cron does not pile up copies of the same tick.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import NamedTuple

import redis
from redis.backoff import NoBackoff
from redis.retry import Retry
from rq import cron_scheduler_registry
from rq.cron import CronJob, CronScheduler
from rq.exceptions import StopRequested
from rq.job import Job
from rq.serializers import JSONSerializer

from launchpad.background import enqueue, job_id_for
from workflows import runtime

log = logging.getLogger("workflows.cron")  # not `__main__` when run with -m


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
    Tick("workflows.reminders.announce_overdue_tasks", 300, "notify"),
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
    """RQ's CronScheduler (registry, heartbeat) with ticks named by dotted path.

    The loop is ours: RQ's ``start()`` ends the process on the first Redis error, this one
    waits for Redis to come back (like the RQ worker: 1 s, doubling, capped) and goes on.
    """

    redis_down = False  # the last round failed on Redis

    def add_tick(self, tick: Tick) -> TickJob:
        job = TickJob(queue_name=tick.queue, func_name=tick.func, interval=tick.seconds)
        self._cron_jobs.append(job)
        return job

    def start(self) -> None:
        """Run until SIGINT or SIGTERM (which interrupt any sleep, backoff included)."""
        self._install_signal_handlers()  # type: ignore[no-untyped-call]  # rq: unannotated
        try:
            self.run(time.sleep)
        except KeyboardInterrupt:
            log.info("cron %s: interrupted", self.name)
        except StopRequested:
            log.info("cron %s: stop requested", self.name)
        finally:
            self._leave_registry()

    def run(self, sleep: Callable[[float], object], rounds: int | None = None) -> None:
        """Enqueue due ticks and heartbeat, forever (or ``rounds`` times, for tests).

        A Redis outage is a warning and a wait, never the end: the ticks that could not be
        enqueued stay due and go out on the first round after Redis answers again, and the
        heartbeat re-creates this scheduler's registry entry if Redis lost it.
        """
        retry = RedisBackoff()
        born = False
        while rounds is None or rounds > 0:
            rounds = None if rounds is None else rounds - 1
            try:
                if not born:
                    self.register_birth()
                    born = True
                if self.enqueue_jobs():
                    self.save()
                self.heartbeat()
            except (redis.ConnectionError, redis.TimeoutError) as error:
                self.redis_down = True
                delay = retry.next_delay()
                log.warning("redis unavailable, retrying in %gs (%s)", delay, error)
                sleep(delay)
                continue
            if self.redis_down:
                log.info("redis is back: ticks resume")
                self.redis_down = False
            retry.reset()
            pause = self.calculate_sleep_interval()
            if pause > 0:
                sleep(pause)

    def _leave_registry(self) -> None:
        """Unregister on the way out, in one quick try (else the entry just expires)."""
        if self.redis_down:
            log.info("cron %s: stopped while redis was unavailable", self.name)
            return
        pool = self.connection.connection_pool
        once = redis.Redis(
            connection_pool=redis.ConnectionPool(
                connection_class=pool.connection_class,
                **{**pool.connection_kwargs, "retry": Retry(NoBackoff(), 0), "socket_timeout": 2},
            )
        )
        try:
            once.zrem(cron_scheduler_registry.get_registry_key(), self.name)
        except (redis.ConnectionError, redis.TimeoutError) as error:
            log.warning("cron %s: could not unregister (%s)", self.name, error)
        finally:
            once.close()
        log.info("cron %s: stopped", self.name)


class RedisBackoff:
    """Seconds to wait before the next attempt: 1, 2, 4 ... up to ``cap`` (as the RQ worker)."""

    def __init__(
        self, first: float = 1.0, cap: float = runtime.REDIS_RETRY_MAX_SECONDS, factor: float = 2.0
    ) -> None:
        self.first, self.cap, self.factor = first, cap, factor
        self.delay = first

    def next_delay(self) -> float:
        delay = self.delay
        self.delay = min(self.delay * self.factor, self.cap)
        return delay

    def reset(self) -> None:
        self.delay = self.first


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
    cron.start()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
