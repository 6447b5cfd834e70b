"""Deterministic job ids: every process derives the same id for the same work."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from launchpad.background import job_id_for


def test_parts_are_joined_with_dashes() -> None:
    due = datetime(2027, 3, 2, 9, 0, tzinfo=UTC)
    assert job_id_for("kpi-eval", 42, due) == "kpi-eval-42-20270302T0900Z"


def test_datetimes_are_written_in_utc() -> None:
    paris = timezone(timedelta(hours=1))
    assert job_id_for("x", datetime(2027, 3, 2, 10, 0, 30, tzinfo=paris)) == "x-20270302T090030Z"


def test_dates_are_compact() -> None:
    assert job_id_for("digest", "team_a", date(2027, 1, 5)) == "digest-team_a-20270105"


@pytest.mark.parametrize("bad", ["has space", "a.b", "a:b", ""])
def test_characters_rq_refuses_are_rejected(bad: str) -> None:
    with pytest.raises(ValueError, match="may only hold"):
        job_id_for("kind", bad)


def test_naive_datetimes_are_rejected() -> None:
    with pytest.raises(ValueError, match="naive"):
        job_id_for("kind", datetime(2027, 1, 1, 9, 0))
