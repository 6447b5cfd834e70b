"""``python -m workflows.worker``: an RQ worker on Launchpad's queues (``launchpad worker``)."""

from __future__ import annotations

import argparse
import logging
from collections.abc import Sequence

from rq import Worker
from rq.serializers import JSONSerializer

from launchpad.broker import QUEUE_NAMES, get_queue
from workflows import runtime

log = logging.getLogger(__name__)


def main(argv: Sequence[str] | None = None) -> int:
    """Build the app once, then work the queues until stopped (or empty, with --burst)."""
    parser = argparse.ArgumentParser(prog="launchpad worker", description=__doc__)
    parser.add_argument("--burst", action="store_true", help="exit once the queues are empty")
    options = parser.parse_args(argv)
    runtime.configure_logging()
    runtime.app()  # fail fast on bad settings, and let work horses inherit it
    connection = runtime.redis_client()
    queues = [get_queue(name, connection) for name in QUEUE_NAMES]
    worker = Worker(queues, connection=connection, serializer=JSONSerializer)
    log.info("worker %s on queues %s", worker.name, ", ".join(QUEUE_NAMES))
    worker.work(burst=options.burst, with_scheduler=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
