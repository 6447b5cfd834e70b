"""Named pause points for the fault tests: a job stops there until it is killed.

Off unless LAUNCHPAD_FAILPOINTS lists the point's name. Then the process writes its pid to
`<LAUNCHPAD_FAILPOINT_DIR>/<name>` and sleeps, so a test can SIGKILL a worker at an exact
moment (mid-evaluation, mid-delivery) instead of guessing with timers.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

PAUSE_SECONDS = 600.0


def reached(name: str) -> None:
    """Pause here if the fault tests asked for it; otherwise return at once."""
    wanted = os.environ.get("LAUNCHPAD_FAILPOINTS", "")
    if not wanted or name not in wanted.split(","):
        return
    folder = Path(os.environ.get("LAUNCHPAD_FAILPOINT_DIR", "."))
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(str(os.getpid()), encoding="utf-8")
    time.sleep(PAUSE_SECONDS)
