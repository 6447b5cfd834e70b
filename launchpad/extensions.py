"""Per-app state (settings, engine, session factory) and the request-scoped session.

Stored in ``app.extensions`` rather than module globals so several apps (tests) coexist;
views reach the session through :func:`get_session`, never by building their own.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import cast

from flask import Flask, current_app, g
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from launchpad.config import Settings

EXTENSION_KEY = "launchpad"
_SESSION_KEY = "launchpad_session"
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class LaunchpadState:
    """What create_app built once for this app."""

    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]


def init_app(app: Flask, state: LaunchpadState) -> None:
    """Attach ``state`` to ``app`` and close request sessions on teardown."""
    app.extensions[EXTENSION_KEY] = state
    app.teardown_appcontext(_close_session)


def get_state(app: Flask | None = None) -> LaunchpadState:
    """The state of ``app`` (default: the current app)."""
    target = app if app is not None else current_app
    return cast(LaunchpadState, target.extensions[EXTENSION_KEY])


def get_session() -> Session:
    """The session of the current app context, opened on first use.

    Views commit it themselves; whatever is left uncommitted is rolled back on teardown.
    """
    session = cast(Session | None, g.get(_SESSION_KEY))
    if session is None:
        session = get_state().sessions()
        setattr(g, _SESSION_KEY, session)
    return session


def _close_session(_exc: BaseException | None) -> None:
    """Close the request's session; a database gone by now must not cost the answer.

    Teardown runs after the response is made: if the connection died since (PostgreSQL
    restarting), the closing ROLLBACK fails, and raising here would drop the connection
    to the client instead of sending the answer it already has.
    """
    session = cast(Session | None, g.pop(_SESSION_KEY, None))
    if session is None:
        return
    try:
        session.close()
    except SQLAlchemyError as error:
        log.warning("closing a request's database session failed: %s", type(error).__name__)
        session.invalidate()  # no I/O: the pool drops the connection instead of reusing it
