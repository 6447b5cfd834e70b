"""KPI checks written as `metric comparator threshold`."""

from __future__ import annotations

import pytest

from launchpad.planning.kpi_expressions import KpiCheck, KpiExpressionError, parse_kpi_check


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("signups >= 500", KpiCheck("signups", ">=", 500.0)),
        ("churn_rate < 0.02", KpiCheck("churn_rate", "<", 0.02)),
        ("feature.adoption_rate>=0.15", KpiCheck("feature.adoption_rate", ">=", 0.15)),
        ("  errors <= 3  ", KpiCheck("errors", "<=", 3.0)),
        ("nps > -10", KpiCheck("nps", ">", -10.0)),
        ("refunds == 0", KpiCheck("refunds", "==", 0.0)),
        ("outages != 1", KpiCheck("outages", "!=", 1.0)),
    ],
)
def test_parse_kpi_check(text: str, expected: KpiCheck) -> None:
    assert parse_kpi_check(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "signups",
        "signups >= ",
        ">= 500",
        "Signups >= 500",  # metric names are lowercase
        "1signups >= 500",
        "signups => 500",
        "signups = 500",
        "signups >= 35%",
        "signups >= 1e3",
        "signups >= .5",
        "signups >= 500 and churn < 1",
        "signups >= five hundred",
        "",
        500,
        None,
    ],
)
def test_malformed_checks_are_rejected(text: object) -> None:
    with pytest.raises(KpiExpressionError, match="is not a KPI check"):
        parse_kpi_check(text)


@pytest.mark.parametrize(
    ("text", "value", "met"),
    [
        ("signups >= 500", 500, True),
        ("signups >= 500", 499.9, False),
        ("signups > 500", 500, False),
        ("churn < 0.02", 0.019, True),
        ("churn <= 0.02", 0.02, True),
        ("churn <= 0.02", 0.021, False),
        ("refunds == 0", 0, True),
        ("refunds != 0", 0, False),
    ],
)
def test_is_met_compares_value_with_threshold(text: str, value: float, met: bool) -> None:
    assert parse_kpi_check(text).is_met(value) is met


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("signups >= 500", "signups >= 500"),
        ("signups>=500.0", "signups >= 500"),
        ("churn < 0.02", "churn < 0.02"),
        ("revenue >= 1234567", "revenue >= 1234567"),
        ("arr >= 2500000", "arr >= 2500000"),
        ("ratio >= 0.123456789", "ratio >= 0.123456789"),
        ("error_rate < 0.00001", "error_rate < 0.00001"),
        ("nps > -10", "nps > -10"),
    ],
)
def test_check_text_is_canonical_exact_and_parses_back(text: str, canonical: str) -> None:
    """The text is stored in template documents and read back: it must not lose digits."""
    check = parse_kpi_check(text)
    assert str(check) == canonical
    assert parse_kpi_check(str(check)) == check
