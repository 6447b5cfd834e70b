"""``python -m workflows.worker``: an RQ worker on Launchpad's queues (``launchpad worker``)."""

from __future__ import annotations

import argparse
import importlib
import logging
from collections.abc import Sequence

from rq import Worker
from rq.serializers import JSONSerializer
from sqlalchemy.orm import configure_mappers

from launchpad.broker import QUEUE_NAMES, get_queue
from workflows import runtime

log = logging.getLogger(__name__)
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
    worker = Worker(queues, connection=connection, serializer=JSONSerializer)
    log.info("worker %s on queues %s", worker.name, ", ".join(names))
    worker.work(burst=options.burst, with_scheduler=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
