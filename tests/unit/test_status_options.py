"""The status select's options, built once per status for every task row."""

from __future__ import annotations

import re

from launchpad.models.tasks import TASK_STATUSES
from launchpad.web.filters import status_options


def test_every_status_is_offered_and_only_the_current_one_is_selected() -> None:
    html = str(status_options("in_progress"))
    assert re.findall(r'<option value="([a-z_]+)"', html) == list(TASK_STATUSES)
    assert re.findall(r'value="([a-z_]+)" selected', html) == ["in_progress"]
    assert ">in progress<" in html  # underscores read as spaces


def test_an_unknown_status_selects_nothing() -> None:
    assert "selected" not in str(status_options("<script>"))
