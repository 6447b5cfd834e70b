"""`when:` conditions: grammar, precedence, lists, errors with columns, never Python."""

from __future__ import annotations

import builtins

import pytest

from launchpad.planning.conditions import (
    Compare,
    ConditionError,
    Literal,
    Logical,
    Name,
    Not,
    ParamValue,
    parse_condition,
)

PARAMS: dict[str, ParamValue] = {
    "tier": "tier1",
    "regions": ["na", "emea"],
    "paid_media": False,
    "beta": True,
    "no_regions": [],
}


def holds(text: str, params: dict[str, ParamValue] = PARAMS) -> bool:
    return parse_condition(text).evaluate(params)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("paid_media", False),
        ("beta", True),
        ("not paid_media", True),
        ("not not beta", True),
        ('tier == "tier1"', True),
        ("tier == 'tier1'", True),
        ('tier != "tier3"', True),
        ('tier == "tier2"', False),
        ('"tier1" == tier', True),
        ("beta == true", True),
        ("paid_media == false", True),
        ("no_regions", False),  # an empty list is false
        ("regions", True),
        ("undeclared", False),  # unknown names are falsy (the validator rejects them)
    ],
)
def test_simple_conditions(text: str, expected: bool) -> None:
    assert holds(text) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('"emea" in regions', True),
        ('"apac" in regions', False),
        ('"apac" not in regions', True),
        ('"na" not in regions', False),
        ('"na" in no_regions', False),
        ('tier in ["tier1", "tier2"]', True),
        ('tier in ["tier2", "tier3"]', False),
        ('tier not in ["tier3"]', True),
        ("tier in []", False),
        ('regions == ["na", "emea"]', True),  # a list parameter equals a list literal
        ('regions == ["emea", "na"]', False),  # in order
        ('"tier" in tier', False),  # `in` never means substring
    ],
)
def test_membership_in_lists_and_list_parameters(text: str, expected: bool) -> None:
    assert holds(text) is expected


def test_list_parameters_given_as_tuples_work_too() -> None:
    assert holds('"emea" in regions', {"regions": ("emea",)}) is True


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # `and` binds tighter than `or`.
        ("true or false and false", True),
        ("false and false or true", True),
        ("(true or false) and false", False),
        # `not` binds tighter than `and` and `or`.
        ("not false and false", False),
        ("not true or true", True),
        ("not (true or true)", False),
        ("not (false and false)", True),
        # `not` applies to a whole comparison.
        ('not tier == "tier1"', False),
        ('not "apac" in regions', True),
        # Parentheses nest.
        ('((tier == "tier1") and (beta or paid_media))', True),
        ('not (tier == "tier1" and not beta) and ("na" in regions or paid_media)', True),
    ],
)
def test_precedence_not_then_and_then_or(text: str, expected: bool) -> None:
    assert holds(text) is expected


def test_precedence_shows_in_the_tree() -> None:
    tree = parse_condition("a or not b and c").tree
    assert tree == Logical(
        "or",
        (Name("a", 0), Logical("and", (Not(Name("b", 9)), Name("c", 15)))),
    )


def test_chained_operators_make_one_flat_node() -> None:
    tree = parse_condition("a and b and c").tree
    assert isinstance(tree, Logical)
    assert [n.name for n in tree.operands if isinstance(n, Name)] == ["a", "b", "c"]


def test_literals_in_the_tree() -> None:
    assert parse_condition('tier in ["a", 2, true]').tree == Compare(
        "in", Name("tier", 0), Literal(("a", 2.0, True))
    )


def test_names_lists_every_parameter_with_its_column() -> None:
    names = parse_condition('tier == "x" or ("emea" in regions and not beta)').names()
    assert [(n.name, n.column) for n in names] == [("tier", 0), ("regions", 26), ("beta", 42)]


@pytest.mark.parametrize(
    ("text", "message", "column"),
    [
        ('tier == "a" tier', "unexpected 'tier'", 12),
        ("tier ==", "the condition ends too early", 7),
        ("", "the condition ends too early", 0),
        ("not", "the condition ends too early", 3),
        ("paid_media or", "the condition ends too early", 13),
        ('(tier == "a"', "expected ')' but found 'end of condition'", 12),
        ('tier == "a")', "unexpected ')'", 11),
        ('tier = "a"', "cannot read '= \"a\"'", 5),
        ('tier == "a', "cannot read '\"a'", 8),
        ("and", "unexpected 'and'", 0),
        ("in", "unexpected 'in'", 0),
        ('tier not "a"', "expected 'in' but found '\"a\"'", 9),
        ('["a",]', "unexpected ']'", 5),
        ('["a" "b"]', "expected ',' but found '\"b\"'", 5),
        ('tier == "a" && beta', "cannot read '&& beta'", 12),
        ("tier.upper", "cannot read '.upper'", 4),
        ("[[1]]", "a list may only hold strings and numbers", 4),
        ("()", "unexpected ')'", 1),
        ('tier == "a" and', "the condition ends too early", 15),
    ],
)
def test_errors_name_the_problem_and_its_column(text: str, message: str, column: int) -> None:
    with pytest.raises(ConditionError) as caught:
        parse_condition(text)
    assert caught.value.column == column
    assert str(caught.value) == f"{message} (at column {column + 1})"


def test_a_parameter_name_inside_a_list_is_rejected() -> None:
    with pytest.raises(ConditionError, match="a list may only hold strings and numbers"):
        parse_condition("x in [tier]")


@pytest.mark.parametrize(
    "text",
    [
        '__import__("os")',
        '__import__("os").system("true")',
        "open('x')",
        "lambda: 1",
        "1 if 2 else 3",
        "tier.__class__",
        "regions[0]",
        "exec('x')",
        "tier == 'a'; import os",
        "tier + 1",
        "tier is None",
        "x := 1",
    ],
)
def test_python_is_not_a_condition(text: str) -> None:
    with pytest.raises(ConditionError):
        parse_condition(text)


def test_conditions_are_interpreted_without_eval_or_exec(monkeypatch: pytest.MonkeyPatch) -> None:
    def forbidden(*args: object, **kwargs: object) -> None:
        raise AssertionError("conditions must never reach eval/exec/compile")

    for name in ("eval", "exec", "compile", "__import__"):
        monkeypatch.setattr(builtins, name, forbidden)
    condition = parse_condition('not (tier == "tier1" and "emea" in regions) or beta')
    assert condition.evaluate(PARAMS) is True


def test_parameter_values_are_data_not_code() -> None:
    params: dict[str, ParamValue] = {"tier": '__import__("os").system("false")'}
    assert holds('tier == "tier1"', params) is False
    assert holds("tier", params) is True  # just a non-empty string


def test_condition_keeps_its_text() -> None:
    assert parse_condition('tier == "tier1"').text == 'tier == "tier1"'


def test_condition_error_is_a_value_error() -> None:
    assert issubclass(ConditionError, ValueError)
