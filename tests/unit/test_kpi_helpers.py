"""Outcomes, the JSONPath subset and the delivery retry policy."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from launchpad.planning.delivery_policy import (
    RetryPolicy,
    Verdict,
    classify,
    next_attempt_at,
    parse_retry_after,
)
from launchpad.planning.json_path import JsonPathError, find_number, parse_path
from launchpad.planning.kpi_expressions import parse_kpi_check
from launchpad.planning.kpi_outcomes import Outcome, judge

NOW = datetime(2027, 3, 9, 8, 0, tzinfo=UTC)
CHECK = parse_kpi_check("signups >= 500")


@pytest.mark.parametrize(
    ("value", "failure", "outcome"),
    [
        (500.0, None, Outcome.MET),
        (499.0, None, Outcome.MISSED),
        (None, None, Outcome.NO_DATA),
        (None, "HTTP 503", Outcome.ERROR),
        (700.0, "HTTP 503", Outcome.MET),
        (float("nan"), None, Outcome.ERROR),
    ],
)
def test_judge(value: float | None, failure: str | None, outcome: Outcome) -> None:
    assert judge(CHECK, value, failure) is outcome


DOCUMENT = {"data": {"signups": 42, "series": [{"v": "1.5"}, {"v": 7}]}, "ok": True}


@pytest.mark.parametrize(
    ("path", "number"),
    [
        ("$.data.signups", 42.0),
        ("$['data']['signups']", 42.0),
        ('$["data"].series[0].v', 1.5),
        ("$.data.series[-1].v", 7.0),
    ],
)
def test_find_number(path: str, number: float) -> None:
    assert find_number(DOCUMENT, path) == number


@pytest.mark.parametrize(
    "path", ["data.signups", "$.data..signups", "$.data.missing", "$.data.series[5].v", "$.ok"]
)
def test_find_number_refuses(path: str) -> None:
    with pytest.raises(JsonPathError):
        find_number(DOCUMENT, path)


def test_parse_path_steps() -> None:
    assert parse_path("$.a['b c'][2]") == ("a", "b c", 2)


POLICY = RetryPolicy(base=timedelta(seconds=10), cap=timedelta(minutes=5), max_attempts=4)


@pytest.mark.parametrize(
    ("status", "attempt", "verdict"),
    [
        (200, 1, Verdict.DELIVERED),
        (204, 1, Verdict.DELIVERED),
        (410, 1, Verdict.GONE),
        (400, 1, Verdict.FAILED),
        (404, 1, Verdict.FAILED),
        (301, 1, Verdict.FAILED),
        (408, 1, Verdict.RETRY),
        (429, 1, Verdict.RETRY),
        (500, 1, Verdict.RETRY),
        (503, 3, Verdict.RETRY),
        (None, 1, Verdict.RETRY),
        (500, 4, Verdict.FAILED),
    ],
)
def test_classify(status: int | None, attempt: int, verdict: Verdict) -> None:
    assert classify(status, attempt, POLICY) is verdict


def test_backoff_doubles_with_jitter_and_is_capped() -> None:
    delays = [(next_attempt_at(POLICY, n, NOW, 0.0, None) - NOW).seconds for n in (1, 2, 3, 9)]
    assert delays == [5, 10, 20, 150]
    assert next_attempt_at(POLICY, 1, NOW, 1.0, None) - NOW == timedelta(seconds=10)


def test_retry_after_wins_when_longer() -> None:
    later = next_attempt_at(POLICY, 1, NOW, 0.5, timedelta(seconds=120))
    assert later - NOW == timedelta(seconds=120)
    sooner = next_attempt_at(POLICY, 1, NOW, 0.0, timedelta(seconds=1))
    assert sooner - NOW == timedelta(seconds=5)


@pytest.mark.parametrize(
    ("header", "delay"),
    [
        ("7", timedelta(seconds=7)),
        ("Tue, 09 Mar 2027 08:01:00 GMT", timedelta(seconds=60)),
        ("soon", None),
        (None, None),
    ],
)
def test_parse_retry_after(header: str | None, delay: timedelta | None) -> None:
    assert parse_retry_after(header, NOW) == delay
