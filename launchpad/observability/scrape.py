"""Figures computed when Prometheus scrapes: queue depths, cron heartbeat, KPI work.

Nothing here is counted inside the app: queues live in Redis and checks, outbox and
deliveries in the database, so asking them at scrape time gives the same answer from any
web process. A source that cannot be reached shows as ``launchpad_source_up 0`` and its
figures are left out for that scrape, rather than failing the whole page.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import UTC, datetime

import redis
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from rq import Worker
from rq.cron import CronScheduler
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from launchpad.broker import QUEUE_NAMES, get_queue
from launchpad.observability.redis_probe import heartbeat_age
from launchpad.services.ops_stats import OpsStats, ops_stats

log = logging.getLogger(__name__)


class ScrapeCollector(Collector):
    """Collects from Redis and the database afresh on every scrape."""

    def __init__(self, sessions: sessionmaker[Session], client: redis.Redis) -> None:
        self.sessions = sessions
        self.client = client

    def collect(self) -> Iterator[Metric]:
        now = datetime.now(UTC)
        up = GaugeMetricFamily(
            "launchpad_source_up", "Whether the scrape could read a source.", labels=["source"]
        )
        redis_metrics = self._redis_metrics(now)
        up.add_metric(["redis"], 1.0 if redis_metrics is not None else 0.0)
        stats = self._stats(now)
        up.add_metric(["database"], 1.0 if stats is not None else 0.0)
        yield up
        yield from redis_metrics or ()
        if stats is not None:
            yield from kpi_metrics(stats)

    def _redis_metrics(self, now: datetime) -> list[Metric] | None:
        try:
            return queue_metrics(self.client, now)
        except (redis.RedisError, OSError, ValueError) as error:
            log.warning("metrics: Redis unreadable (%s)", type(error).__name__)
            return None

    def _stats(self, now: datetime) -> OpsStats | None:
        try:
            with self.sessions() as session:
                return ops_stats(session, now)
        except SQLAlchemyError as error:
            log.warning("metrics: database unreadable (%s)", type(error).__name__)
            return None


def queue_metrics(client: redis.Redis, now: datetime) -> list[Metric]:
    """Jobs waiting and failed per queue, live workers and the heartbeat's age."""
    depth = GaugeMetricFamily(
        "launchpad_queue_depth", "Jobs waiting in an RQ queue.", labels=["queue"]
    )
    failed = GaugeMetricFamily(
        "launchpad_queue_failed_jobs", "Jobs in a queue's failed registry.", labels=["queue"]
    )
    for name in QUEUE_NAMES:
        queue = get_queue(name, client)
        depth.add_metric([name], float(queue.count))
        failed.add_metric([name], float(queue.failed_job_registry.count))
    workers = GaugeMetricFamily("launchpad_workers", "RQ workers registered in Redis.")
    workers.add_metric([], float(Worker.count(connection=client)))
    crons = GaugeMetricFamily(
        "launchpad_cron_schedulers", "Cron processes registered in Redis (should be 1)."
    )
    crons.add_metric([], float(len(CronScheduler.all(client))))
    age = heartbeat_age(client, now)
    heartbeat = GaugeMetricFamily(
        "launchpad_cron_heartbeat_age_seconds",
        "Seconds since the cron's heartbeat job last ran (absent: never).",
    )
    if age is not None:
        heartbeat.add_metric([], age)
    return [depth, failed, workers, crons, heartbeat]


def kpi_metrics(stats: OpsStats) -> Iterator[Metric]:
    """Check lag and backlog, evaluation outcomes, outbox state and delivery verdicts."""
    yield _gauge(
        "launchpad_kpi_check_lag_seconds",
        "Age of the oldest KPI check that is due and not yet evaluated (0: none).",
        stats.check_lag_seconds,
    )
    yield _by_label(
        GaugeMetricFamily,
        "launchpad_kpi_checks_waiting",
        "KPI checks due and not yet evaluated, by status.",
        "status",
        {"scheduled": 0, "enqueued": 0, **stats.checks_waiting},
    )
    yield _by_label(
        CounterMetricFamily,
        "launchpad_kpi_checks_evaluated",
        "KPI checks evaluated, by outcome.",
        "outcome",
        {"MET": 0, "MISSED": 0, "NO_DATA": 0, "ERROR": 0, **stats.check_outcomes},
    )
    yield _by_label(
        GaugeMetricFamily,
        "launchpad_outbox_messages",
        "Notifications in the outbox, by status.",
        "status",
        {"pending": 0, "sending": 0, "delivered": 0, "failed": 0, **stats.outbox},
    )
    yield _gauge(
        "launchpad_outbox_lag_seconds",
        "Age of the oldest pending notification that is due (0: none).",
        stats.outbox_lag_seconds,
    )
    yield _by_label(
        CounterMetricFamily,
        "launchpad_deliveries",
        "Delivery attempts, by outcome (delivered, retry, failed, gone).",
        "outcome",
        {"delivered": 0, "retry": 0, "failed": 0, "gone": 0, **stats.deliveries},
    )


def _gauge(name: str, documentation: str, value: float) -> Metric:
    family = GaugeMetricFamily(name, documentation)
    family.add_metric([], value)
    return family


def _by_label(
    kind: type[GaugeMetricFamily] | type[CounterMetricFamily],
    name: str,
    documentation: str,
    label: str,
    values: dict[str, int],
) -> Metric:
    family = kind(name, documentation, labels=[label])
    for key, value in sorted(values.items()):
        family.add_metric([key], float(value))
    return family
