"""``python -m workflows.worker``: an RQ worker on Launchpad's queues (``launchpad worker``)."""

from __future__ import annotations

import argparse
import importlib
import logging
from collections.abc import Sequence

from rq import SimpleWorker, Worker
from rq.serializers import JSONSerializer
from rq.worker import BaseWorker
from sqlalchemy.orm import configure_mappers

from launchpad.broker import QUEUE_NAMES, get_queue
from workflows import runtime

log = logging.getLogger("workflows.worker")  # not `__main__` when run with -m
# Imported before forking: a work horse lives for one job, and importing these (services,
# planning, outbound, cryptography) in every horse would cost more than the job itself.
JOB_MODULES = (
    "workflows.maintenance",
    "workflows.kpi_checks",
    "workflows.notifications",
    "workflows.leases",
    "workflows.reminders",
    "workflows.sources",
)
LISTENER_POLL_SECONDS = 1.0


class PromptListener(BaseWorker):
    """An RQ worker whose command listener polls every second instead of every minute.

    With redis-py 8, stopping the listener thread waits for its poll to end, and a listener
    that saw the unsubscribe before the stop waits out the whole poll: RQ's 60 s made a
    worker hang for up to a minute after "done, quitting" (burst runs, SIGTERM).
    """

    def subscribe(self) -> None:
        self.log.info("Worker %s: subscribing to channel %s", self.name, self.pubsub_channel_name)
        self.pubsub = self.connection.pubsub()
        self.pubsub.subscribe(**{self.pubsub_channel_name: self.handle_payload})
        self.pubsub_thread = self.pubsub.run_in_thread(  # type: ignore[assignment]  # rq: None
            sleep_time=LISTENER_POLL_SECONDS,
            daemon=True,
            exception_handler=self._pubsub_exception_handler,
        )


class LaunchpadWorker(PromptListener, Worker):
    """The forking worker `launchpad worker` runs."""


class LaunchpadSimpleWorker(PromptListener, SimpleWorker):
    """Jobs in the worker's own process (tests and benchmarks)."""


def main(argv: Sequence[str] | None = None) -> int:
    """Build the app once, then work the queues until stopped (or empty, with --burst)."""
    parser = argparse.ArgumentParser(prog="launchpad worker", description=__doc__)
    parser.add_argument("--burst", action="store_true", help="exit once the queues are empty")
    parser.add_argument(
        "--queues", default=",".join(QUEUE_NAMES), help="comma-separated, in priority order"
    )
    options = parser.parse_args(argv)
    names = [name.strip() for name in options.queues.split(",") if name.strip()]
    runtime.configure_logging()
    runtime.app()  # fail fast on bad settings, and let work horses inherit it
    for module in JOB_MODULES:
        importlib.import_module(module)
    configure_mappers()
    connection = runtime.redis_client()
    queues = [get_queue(name, connection) for name in names]
    worker = LaunchpadWorker(queues, connection=connection, serializer=JSONSerializer)
    # With Redis away RQ logs and waits 1 s, 2 s, 4 s ...; the cron waits the same way.
    worker.max_connection_wait_time = runtime.REDIS_RETRY_MAX_SECONDS
    log.info("worker %s on queues %s", worker.name, ", ".join(names))
    worker.work(burst=options.burst, with_scheduler=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
