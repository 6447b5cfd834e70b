"""Launch parameters: defaults, coercion of CLI text and JSON, every problem at once."""

from __future__ import annotations

import pytest

from launchpad.planning.parameters import ParameterError, coerce, resolve_parameters
from launchpad.planning.spec import Location, ParameterSpec, TemplateSpec

TIER = ParameterSpec("tier", "choice", "tier1", choices=("tier1", "tier2", "tier3"))
REGIONS = ParameterSpec("regions", "list", ["na"], choices=("na", "emea", "apac"))
TAGS = ParameterSpec("tags", "list", [])
PAID_MEDIA = ParameterSpec("paid_media", "bool", False)
CODENAME = ParameterSpec("codename", "text", "")

SPEC = TemplateSpec(
    key="t",
    name="T",
    version=1,
    description="",
    location=Location("t.yaml", 1),
    parameters={p.name: p for p in (TIER, REGIONS, TAGS, PAID_MEDIA, CODENAME)},
)


def test_defaults_fill_what_is_not_given() -> None:
    assert resolve_parameters(SPEC, {}) == {
        "tier": "tier1",
        "regions": ["na"],
        "tags": [],
        "paid_media": False,
        "codename": "",
    }


def test_given_values_override_defaults() -> None:
    values = resolve_parameters(
        SPEC, {"tier": "tier2", "regions": "na, emea", "paid_media": "yes", "codename": "Orca"}
    )
    assert values["tier"] == "tier2"
    assert values["regions"] == ["na", "emea"]
    assert values["paid_media"] is True
    assert values["codename"] == "Orca"


def test_resolving_does_not_change_the_template_defaults() -> None:
    resolve_parameters(SPEC, {"regions": ["emea"]})
    assert SPEC.parameters["regions"].default == ["na"]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (True, True),
        (False, False),
        ("true", True),
        ("Yes", True),
        (" on ", True),
        ("1", True),
        ("false", False),
        ("NO", False),
        ("off", False),
        ("0", False),
    ],
)
def test_bool_accepts_booleans_and_the_usual_words(raw: object, expected: bool) -> None:
    assert coerce(PAID_MEDIA, raw) is expected


@pytest.mark.parametrize("raw", ["maybe", "", 1, 0, None, ["true"]])
def test_bool_rejects_anything_else(raw: object) -> None:
    with pytest.raises(TypeError, match="expected true or false"):
        coerce(PAID_MEDIA, raw)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("na,emea", ["na", "emea"]),
        (" na , apac ,", ["na", "apac"]),
        ("", []),
        (["emea"], ["emea"]),
        (("apac", "na"), ["apac", "na"]),
    ],
)
def test_list_accepts_comma_text_and_lists(raw: object, expected: list[str]) -> None:
    assert coerce(REGIONS, raw) == expected


def test_list_items_must_be_choices_when_choices_are_declared() -> None:
    with pytest.raises(ValueError, match="'latam' is not one of na, emea, apac"):
        coerce(REGIONS, "na,latam")


def test_list_without_choices_takes_any_text() -> None:
    assert coerce(TAGS, "x,y") == ["x", "y"]


@pytest.mark.parametrize("raw", [[1, 2], 3, None, {"na": True}])
def test_list_rejects_non_text_items(raw: object) -> None:
    with pytest.raises(TypeError, match="expected a list of text"):
        coerce(REGIONS, raw)


def test_choice_must_be_one_of_the_choices() -> None:
    assert coerce(TIER, "tier3") == "tier3"
    with pytest.raises(ValueError, match="'tier9' is not one of tier1, tier2, tier3"):
        coerce(TIER, "tier9")


@pytest.mark.parametrize("raw", [1, None, True, ["tier1"]])
def test_choice_and_text_must_be_text(raw: object) -> None:
    with pytest.raises(TypeError, match="expected text"):
        coerce(TIER, raw)
    with pytest.raises(TypeError, match="expected text"):
        coerce(CODENAME, raw)


def test_every_problem_is_reported_at_once() -> None:
    with pytest.raises(ParameterError) as caught:
        resolve_parameters(
            SPEC,
            {"colour": "red", "tier": "tier9", "paid_media": "maybe", "regions": "mars"},
        )
    problems = caught.value.problems
    assert len(problems) == 4
    assert problems[0].startswith("unknown parameter 'colour' (known: tier, regions, tags")
    assert "parameter 'tier': 'tier9' is not one of tier1, tier2, tier3" in problems
    assert "parameter 'paid_media': expected true or false, got 'maybe'" in problems
    assert "parameter 'regions': 'mars' is not one of na, emea, apac" in problems
    assert str(caught.value) == "; ".join(problems)


def test_unknown_parameter_of_a_template_without_parameters() -> None:
    bare = TemplateSpec("t", "T", 1, "", Location("t.yaml", 1))
    with pytest.raises(ParameterError, match=r"unknown parameter 'tier' \(known: none\)"):
        resolve_parameters(bare, {"tier": "tier1"})


def test_parameter_error_is_a_value_error() -> None:
    assert issubclass(ParameterError, ValueError)
