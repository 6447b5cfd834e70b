"""``launchpad web``: the app under gunicorn, configured from the environment.

``launchpad run`` keeps werkzeug's server (one process, readable logs, no metrics
directory); production runs this. Settings are read and the metrics directory prepared
in the master before the app is built, so a bad setting stops the start with one message.
"""

from __future__ import annotations

import os
from typing import Any

from flask import Flask
from gunicorn.app.base import BaseApplication

from launchpad.config import Settings
from launchpad.gunicorn_config import prepare_metrics_dir, validate, web_options


class WebServer(BaseApplication):  # type: ignore[misc]  # gunicorn ships no type hints
    """A gunicorn application whose settings come from a dict, not the command line."""

    def __init__(self, settings: Settings, options: dict[str, Any]) -> None:
        self.settings = settings
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Flask:
        from launchpad import create_app

        return create_app(self.settings)


def serve(settings: Settings, host: str, port: int) -> None:
    """Run gunicorn in the foreground until SIGTERM or SIGINT (graceful), or SIGQUIT."""
    prepare_metrics_dir(settings.instance_dir, os.environ)
    options = web_options(os.environ, host, port)
    validate(options)
    options.update(post_fork=_post_fork, child_exit=_child_exit)
    WebServer(settings, options).run()


def _post_fork(server: Any, worker: Any) -> None:
    """Pooled connections must never cross a fork; the preloaded app made none, but be sure."""
    from launchpad.extensions import get_state

    get_state(worker.app.callable).engine.dispose(close=False)


def _child_exit(server: Any, worker: Any) -> None:
    """A dead worker's live gauges must stop counting (histograms are kept)."""
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)  # type: ignore[no-untyped-call]
