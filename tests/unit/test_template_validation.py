"""Template validation: every error of DESIGN.md section 3, with file, line and a hint."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from launchpad.planning.errors import TemplateError, TemplateInvalid
from launchpad.planning.loader import check_template, load_template

WriteFile = Callable[[str, str], Path]

SHIPPED = Path(__file__).resolve().parents[2] / "templates"
FILE = "templates/launch.yaml"

# A small valid template; tests change one piece of it at a time.
BASE = """\
key: launch
name: Test launch
version: 1
description: A template for tests.
parameters:
  tier:
    type: choice
    choices: [tier1, tier2]
    default: tier1
  regions:
    type: list
    choices: [na, emea]
    default: [na]
  paid_media:
    type: bool
    default: false
roles:
  pm: product
  pmm: marketing
teams: [legal]
calendar:
  workdays: [mon, tue, wed, thu, fri]
  holidays: US
phases:
  pre-launch:
    - key: positioning
      title: Positioning agreed
      owner: pmm
      due: -20bd
    - key: pricing-page
      title: Pricing page live
      owner: pm
      due: -5bd
      depends_on: [positioning]
  launch:
    - key: announce
      title: Launch announced
      owner: pmm
      due: 0d 10:00
      depends_on: [pricing-page]
  post-launch:
    - key: review
      title: Launch review
      owner: legal
      due: +10bd
kpis:
  - key: signups
    check: signups >= 500
    at: +7d
"""

FRAGMENT = """\
fragment: extra
description: A shared block.
roles: {sales_lead: sales}
phases:
  pre-launch:
    - key: sales-training
      title: Sales trained
      owner: sales_lead
      due: -3bd
"""


def variant(*replacements: tuple[str, str], base: str = BASE) -> str:
    """BASE with each `old` (which must occur exactly once) replaced by `new`."""
    text = base
    for old, new in replacements:
        assert text.count(old) == 1, f"{old!r} must occur once"
        text = text.replace(old, new)
    return text


def line_of(text: str, needle: str) -> int:
    """1-based line of the only line containing `needle`."""
    lines = [n for n, line in enumerate(text.splitlines(), start=1) if needle in line]
    assert len(lines) == 1, f"{needle!r} is on lines {lines}"
    return lines[0]


def check(write_file: WriteFile, text: str, name: str = "launch.yaml") -> list[TemplateError]:
    return check_template(write_file(name, text))


def single(errors: list[TemplateError], fragment: str) -> TemplateError:
    """The one error whose message contains `fragment`, with a hint."""
    found = [error for error in errors if fragment in error.message]
    assert len(found) == 1, f"{fragment!r} in {[str(e) for e in errors]}"
    assert found[0].hint.strip(), f"no hint for {found[0]}"
    return found[0]


def assert_error(
    errors: list[TemplateError], fragment: str, text: str, needle: str, file: str = FILE
) -> TemplateError:
    error = single(errors, fragment)
    assert (error.file, error.line) == (file, line_of(text, needle)), str(error)
    return error


# --- a valid template ------------------------------------------------------------------


def test_the_base_template_is_valid(write_file: WriteFile) -> None:
    assert check(write_file, BASE) == []


def test_load_template_builds_the_spec(write_file: WriteFile) -> None:
    spec = load_template(write_file("launch.yaml", BASE))
    assert spec.key == "launch"
    assert [t.key for t in spec.tasks] == ["positioning", "pricing-page", "announce", "review"]
    assert [t.phase for t in spec.tasks] == ["pre-launch", "pre-launch", "launch", "post-launch"]
    assert spec.tasks[1].location.line == line_of(BASE, "- key: pricing-page")
    assert spec.roles == {"pm": "product", "pmm": "marketing"}
    assert spec.all_teams() == ["legal", "product", "marketing"]
    assert spec.parameters["regions"].default == ["na"]
    assert type(spec.parameters["regions"].default) is list
    assert spec.kpis[0].metric == "signups"
    assert spec.calendar.holidays == "US"


@pytest.mark.parametrize("path", sorted(SHIPPED.glob("*.yaml")), ids=lambda p: p.stem)
def test_every_shipped_template_passes(path: Path) -> None:
    errors = check_template(path)
    assert errors == [], "\n".join(str(e) for e in errors)


# --- YAML ------------------------------------------------------------------------------


def test_yaml_syntax_error_names_the_line(write_file: WriteFile) -> None:
    text = variant(("      title: Pricing page live\n", "      title: Pricing: live\n"))
    errors = check(write_file, text)
    assert len(errors) == 1
    error = assert_error(errors, "YAML: mapping values are not allowed here", text, "Pricing:")
    assert "indentation" in error.hint


def test_unterminated_quote_is_a_yaml_error(write_file: WriteFile) -> None:
    text = variant(("description: A template for tests.", 'description: "A template'))
    [error] = check(write_file, text)
    assert error.message.startswith("YAML:")
    assert error.file == FILE and error.line is not None and error.hint


def test_duplicate_yaml_key_is_reported_at_the_second_key(write_file: WriteFile) -> None:
    text = variant(("      due: -5bd\n", "      due: -5bd\n      due: -6bd\n"))
    [error] = check(write_file, text)
    assert "duplicate key" in error.message
    assert error.line == line_of(text, "due: -6bd")
    assert "each key may appear once" in error.hint


@pytest.mark.parametrize("text", ["", "- a\n- b\n", "just text\n"])
def test_a_template_must_be_a_mapping(write_file: WriteFile, text: str) -> None:
    [error] = check(write_file, text)
    assert error.message == "the file must be a YAML mapping"
    assert (error.file, error.line) == (FILE, 1)


# --- shape: unknown and missing keys ---------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "needle", "allowed"),
    [
        ("version: 1\n", "version: 1\nauthor: me\n", "author:", "calendar, description, include"),
        (
            "      due: -5bd\n",
            "      due: -5bd\n      colour: blue\n",
            "colour:",
            "depends_on, description, due, duration, gate, key, milestone, owner, roll,"
            " start, title, when",
        ),
        ("    at: +7d\n", "    at: +7d\n    severity: high\n", "severity:", "at, check, every"),
        (
            "  holidays: US\n",
            "  holidays: US\n  timezone: UTC\n",
            "timezone:",
            "holidays, workdays",
        ),
        (
            "  launch:\n",
            "  launchday: []\n  launch:\n",
            "launchday:",
            "launch, post-launch, pre-launch",
        ),
        (
            "    default: tier1\n",
            "    default: tier1\n    help: pick one\n",
            "help:",
            "choices, default, label, type",
        ),
    ],
    ids=["top", "task", "kpi", "calendar", "phases", "parameter"],
)
def test_unknown_key_is_reported_at_its_line_with_the_allowed_keys(
    write_file: WriteFile, old: str, new: str, needle: str, allowed: str
) -> None:
    text = variant((old, new))
    name = needle.rstrip(":")
    errors = check(write_file, text)
    error = assert_error(errors, f"unknown key `{name}`", text, needle)
    assert error.hint.startswith("allowed here: ")
    assert allowed in error.hint


@pytest.mark.parametrize(
    ("old", "missing", "needle"),
    [
        ("name: Test launch\n", "name", "key: launch"),  # top level: line 1
        ("      title: Pricing page live\n", "title", "- key: pricing-page"),
        ("      owner: pm\n", "owner", "- key: pricing-page"),
        ("      due: -5bd\n", "due", "- key: pricing-page"),
        ("    check: signups >= 500\n", "check", "- key: signups"),
        ("    type: bool\n", "type", "  paid_media:"),
        ("    default: false\n", "default", "  paid_media:"),
    ],
)
def test_missing_required_key_points_at_its_parent(
    write_file: WriteFile, old: str, missing: str, needle: str
) -> None:
    text = variant((old, ""))
    errors = check(write_file, text)
    error = assert_error(errors, f"`{missing}` is missing", text, needle)
    assert f"add `{missing}:`" in error.hint


@pytest.mark.parametrize(
    ("old", "new", "needle", "message"),
    [
        ("version: 1\n", "version: 0\n", "version:", "`version`"),
        ("version: 1\n", 'version: "1"\n', "version:", "`version`"),
        ("    - key: review\n", "    - key: Review!\n", "key: Review!", "is not a key"),
        ("  pm: product\n", "  PM: product\n", "PM: product", "is not a name"),
    ],
)
def test_badly_shaped_values_are_reported_at_their_line(
    write_file: WriteFile, old: str, new: str, needle: str, message: str
) -> None:
    text = variant((old, new))
    assert_error(check(write_file, text), message, text, needle)


def test_gate_and_milestone_must_be_booleans(write_file: WriteFile) -> None:
    text = variant(
        ("      due: -5bd\n", "      due: -5bd\n      gate: yes\n      milestone: maybe\n")
    )
    errors = check(write_file, text)
    assert_error(errors, "`phases.pre-launch.1.gate`", text, "gate: yes")
    assert_error(errors, "`phases.pre-launch.1.milestone`", text, "milestone: maybe")


def test_numbers_are_not_booleans(write_file: WriteFile) -> None:
    """`gate: 1` would pass a plain Boolean field, since 1 == True in Python."""
    text = variant(("      due: -5bd\n", "      due: -5bd\n      gate: 1\n"))
    assert_error(check(write_file, text), "`phases.pre-launch.1.gate`", text, "gate: 1")


# --- offsets, durations, conditions, KPI checks ----------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "needle", "message"),
    [
        ("      due: -5bd\n", "      due: -5x\n", "due: -5x", "'-5x' is not an offset"),
        ("      due: -5bd\n", "      due: 10\n", "due: 10", "'10' is not an offset"),
        ("      due: -5bd\n", "      due: -1.5d\n", "due: -1.5d", "'-1.5d' is not an offset"),
        (
            "      due: -5bd\n",
            "      due: -3d 25:00\n",
            "due: -3d 25:00",
            "'25:00' in '-3d 25:00' is not a time of day",
        ),
        ("      due: -5bd\n", "      due: true\n", "due: true", "not bool"),
        (
            "      due: -5bd\n",
            "      due: -5bd\n      start: soon\n",
            "start: soon",
            "'soon' is not an offset",
        ),
        (
            "      due: -5bd\n",
            "      due: -5bd\n      duration: -2d\n",
            "duration: -2d",
            "'-2d' is not a duration",
        ),
        (
            "      due: -5bd\n",
            "      due: -5bd\n      duration: 0bd\n",
            "duration: 0bd",
            "a duration must be at least 1",
        ),
        ("    at: +7d\n", "    at: next week\n", "at: next week", "'next week' is not an offset"),
    ],
)
def test_bad_offsets_and_durations(
    write_file: WriteFile, old: str, new: str, needle: str, message: str
) -> None:
    text = variant((old, new))
    error = assert_error(check(write_file, text), message, text, needle)
    assert "e.g." in error.hint


def test_bad_roll_value(write_file: WriteFile) -> None:
    text = variant(("      due: -5bd\n", "      due: -5bd\n      roll: sideways\n"))
    assert_error(check(write_file, text), "`phases.pre-launch.1.roll`", text, "roll: sideways")


@pytest.mark.parametrize(
    ("condition", "column"),
    [
        ("tier = tier1", 6),
        ("tier == 'tier1' and", 20),
        ('__import__("os")', 11),
        ("(paid_media", 12),
    ],
)
def test_bad_condition_names_the_column_and_gives_examples(
    write_file: WriteFile, condition: str, column: int
) -> None:
    text = variant(("      due: -5bd\n", f"      due: -5bd\n      when: {condition!r}\n"))
    error = assert_error(check(write_file, text), "bad condition", text, "when:")
    assert f"(at column {column})" in error.message
    assert 'tier == "tier1"' in error.hint


def test_condition_must_be_text(write_file: WriteFile) -> None:
    text = variant(("      due: -5bd\n", "      due: -5bd\n      when: [a]\n"))
    assert_error(check(write_file, text), "a condition must be text", text, "when: [a]")


@pytest.mark.parametrize(
    "check_text", ["signups", "signups >= many", "Signups >= 5", "signups >= 35%", "signups => 5"]
)
def test_bad_kpi_expression(write_file: WriteFile, check_text: str) -> None:
    text = variant(("    check: signups >= 500\n", f"    check: {check_text!r}\n"))
    error = assert_error(check(write_file, text), "is not a KPI check", text, "check:")
    assert "signups >= 500" in error.hint


# --- semantics: references ------------------------------------------------------------


def test_unknown_owner_lists_roles_and_teams(write_file: WriteFile) -> None:
    text = variant(("      owner: pm\n      due: -5bd\n", "      owner: ceo\n      due: -5bd\n"))
    error = assert_error(
        check(write_file, text),
        "task `pricing-page`: unknown owner `ceo`",
        text,
        "key: pricing-page",
    )
    assert "pm, pmm, legal, product, marketing" in error.hint


def test_a_team_declared_only_through_a_role_may_own_a_task(write_file: WriteFile) -> None:
    text = variant(
        ("      owner: pm\n      due: -5bd\n", "      owner: product\n      due: -5bd\n")
    )
    assert check(write_file, text) == []


def test_unknown_kpi_owner(write_file: WriteFile) -> None:
    text = variant(("    at: +7d\n", "    at: +7d\n    owner: growth\n"))
    assert_error(
        check(write_file, text), "KPI `signups`: unknown owner `growth`", text, "key: signups"
    )


def test_unknown_dependency(write_file: WriteFile) -> None:
    text = variant(("depends_on: [positioning]", "depends_on: [positioning, psoitioning]"))
    error = assert_error(
        check(write_file, text),
        "task `pricing-page` depends on unknown task `psoitioning`",
        text,
        "key: pricing-page",
    )
    assert "key of a task" in error.hint


def test_self_dependency(write_file: WriteFile) -> None:
    text = variant(("depends_on: [positioning]", "depends_on: [positioning, pricing-page]"))
    assert_error(
        check(write_file, text), "task `pricing-page` depends on itself", text, "key: pricing-page"
    )


def test_two_task_cycle_is_named(write_file: WriteFile) -> None:
    text = variant(
        ("      due: -20bd\n", "      due: -20bd\n      depends_on: [pricing-page]\n"),
    )
    errors = check(write_file, text)
    error = assert_error(
        errors,
        "dependency cycle: positioning -> pricing-page -> positioning",
        text,
        "key: positioning",
    )
    assert "remove one of these dependencies" in error.hint


def test_three_task_cycle_is_named(write_file: WriteFile) -> None:
    text = variant(
        ("      due: -20bd\n", "      due: -20bd\n      depends_on: [announce]\n"),
    )
    errors = check(write_file, text)
    assert_error(
        errors,
        "dependency cycle: positioning -> announce -> pricing-page -> positioning",
        text,
        "key: positioning",
    )


def test_duplicate_task_key_points_at_the_second_and_names_the_first(write_file: WriteFile) -> None:
    text = variant(("    - key: review\n", "    - key: positioning\n"))
    error = single(check(write_file, text), "duplicate task key `positioning`")
    assert error.file == FILE
    assert error.line == line_of(text, "title: Launch review") - 1
    assert f"first defined at {FILE}:{line_of(text, 'title: Positioning agreed') - 1}" in error.hint


def test_duplicate_kpi_key(write_file: WriteFile) -> None:
    text = variant(
        ("    at: +7d\n", "    at: +7d\n  - key: signups\n    check: x > 1\n    at: +1d\n")
    )
    error = single(check(write_file, text), "duplicate KPI key `signups`")
    assert error.line == line_of(text, "check: x > 1") - 1


# --- semantics: dates -----------------------------------------------------------------


def test_pre_launch_task_due_after_launch_day(write_file: WriteFile) -> None:
    text = variant(("      due: -5bd\n", "      due: +1bd\n"))
    error = assert_error(
        check(write_file, text),
        "task `pricing-page` is pre-launch but due after launch day",
        text,
        "key: pricing-page",
    )
    assert "post-launch" in error.hint


def test_post_launch_task_due_before_launch_day(write_file: WriteFile) -> None:
    text = variant(("      due: +10bd\n", "      due: -1d\n"))
    assert_error(
        check(write_file, text),
        "task `review` is post-launch but due before launch day",
        text,
        "key: review",
    )


@pytest.mark.parametrize("due", ["0d", "0d 09:00", "-1bd"])
def test_pre_launch_may_be_due_on_or_before_launch_day(write_file: WriteFile, due: str) -> None:
    text = variant(("      due: -5bd\n", f"      due: {due}\n"))
    assert check(write_file, text) == []


def test_dependency_due_after_its_dependent(write_file: WriteFile) -> None:
    text = variant(("      due: -20bd\n", "      due: -2bd\n"))
    error = assert_error(
        check(write_file, text),
        "task `pricing-page` (due -5bd) depends on `positioning` (due -2bd), which is due after it",
        text,
        "key: pricing-page",
    )
    assert "make `positioning` due earlier or `pricing-page` later" in error.hint


def test_dependency_due_later_the_same_day(write_file: WriteFile) -> None:
    text = variant(
        ("      due: -20bd\n", "      due: -5bd 17:00\n"),
        ("      due: -5bd\n", "      due: -5bd 09:00\n"),
    )
    single(check(write_file, text), "depends on `positioning` (due -5bd 17:00)")


def test_dependency_order_is_checked_for_launches_on_every_weekday(
    write_file: WriteFile,
) -> None:
    # -1d rolls to Friday for a Monday launch while -1bd is Friday too; -2d before a Tuesday
    # launch is a Sunday that rolls to Friday while -1bd is Monday: fine. But -3d after -2bd:
    # for a Monday launch -3d is Friday and -2bd is Thursday.
    text = variant(
        ("      due: -20bd\n", "      due: -3d\n"),
        ("      due: -5bd\n", "      due: -2bd\n"),
    )
    error = single(check(write_file, text), "depends on `positioning` (due -3d)")
    assert error.message.endswith("for a launch on a Monday")


def test_start_and_duration_together(write_file: WriteFile) -> None:
    text = variant(
        ("      due: -5bd\n", "      due: -5bd\n      start: -10bd\n      duration: 3bd\n")
    )
    error = assert_error(
        check(write_file, text),
        "task `pricing-page` has both start and duration",
        text,
        "key: pricing-page",
    )
    assert error.hint == "keep one of them"


def test_start_after_due(write_file: WriteFile) -> None:
    text = variant(("      due: -5bd\n", "      due: -5bd\n      start: -2bd\n"))
    assert_error(
        check(write_file, text),
        "task `pricing-page` starts after it is due",
        text,
        "key: pricing-page",
    )


def test_milestone_has_no_length(write_file: WriteFile) -> None:
    text = variant(
        ("      due: -5bd\n", "      due: -5bd\n      milestone: true\n      duration: 2d\n")
    )
    single(check(write_file, text), "milestone `pricing-page` has a length")


def test_task_duration_in_hours(write_file: WriteFile) -> None:
    text = variant(("      due: -5bd\n", "      due: -5bd\n      duration: 12h\n"))
    single(check(write_file, text), "task `pricing-page`: duration in hours")


# --- semantics: conditions and parameters ---------------------------------------------


def test_condition_naming_an_unknown_parameter(write_file: WriteFile) -> None:
    text = variant(("      due: -5bd\n", "      due: -5bd\n      when: paid_media or budget\n"))
    error = assert_error(
        check(write_file, text),
        "condition 'paid_media or budget' names unknown parameter `budget`",
        text,
        "key: pricing-page",
    )
    assert "known: tier, regions, paid_media" in error.hint


@pytest.mark.parametrize(
    ("condition", "bad"),
    [
        ("tier == 'tier3'", "'tier3'"),
        ("'tire1' != tier", "'tire1'"),
        ("tier in ['tier1', 'tierX']", "'tierX'"),
        ("'apac' in regions", "'apac'"),
        ("not ('latam' in regions and paid_media)", "'latam'"),
    ],
)
def test_condition_comparing_a_choice_with_a_value_that_is_not_a_choice(
    write_file: WriteFile, condition: str, bad: str
) -> None:
    text = variant(("      due: -5bd\n", f'      due: -5bd\n      when: "{condition}"\n'))
    error = assert_error(
        check(write_file, text), f"{bad} is not a choice", text, "key: pricing-page"
    )
    assert error.hint.startswith("`")


def test_conditions_on_kpis_are_checked_too(write_file: WriteFile) -> None:
    text = variant(("    at: +7d\n", "    at: +7d\n    when: tier == 'gold' or spend\n"))
    errors = check(write_file, text)
    assert_error(errors, "'gold' is not a choice", text, "key: signups")
    assert_error(errors, "names unknown parameter `spend`", text, "key: signups")


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "    default: tier1\n",
            "    default: tier9\n",
            "parameter `tier`: default 'tier9' is not a choice",
        ),
        (
            "    default: [na]\n",
            "    default: [na, mars]\n",
            "parameter `regions`: default 'mars' is not a choice",
        ),
        (
            "    default: [na]\n",
            "    default: na\n",
            "parameter `regions`: default 'na' is not a list",
        ),
        (
            "    default: false\n",
            "    default: 'no'\n",
            "parameter `paid_media`: default 'no' is not a bool",
        ),
        (
            "    default: false\n",
            "    default: 0\n",
            "parameter `paid_media`: default 0 is not a bool",
        ),
        ("    default: tier1\n", "    default: 1\n", "parameter `tier`: default 1 is not a choice"),
        ("    choices: [tier1, tier2]\n", "", "parameter `tier` has no choices"),
    ],
)
def test_bad_parameter_declarations(
    write_file: WriteFile, old: str, new: str, message: str
) -> None:
    text = variant((old, new))
    errors = check(write_file, text)
    name = message.split("`")[1]
    assert_error(errors, message, text, f"  {name}:")


def test_unknown_parameter_type(write_file: WriteFile) -> None:
    text = variant(("    type: bool\n", "    type: boolean\n"))
    assert_error(
        check(write_file, text),
        "`parameters.paid_media.type`: Must be one of",
        text,
        "type: boolean",
    )


# --- semantics: calendar, key, KPI schedules ------------------------------------------


def test_unknown_holiday_calendar(write_file: WriteFile) -> None:
    text = variant(("  holidays: US\n", "  holidays: XX\n"))
    error = assert_error(
        check(write_file, text), "unknown holiday calendar 'XX'", text, "calendar:"
    )
    assert "US" in error.hint


def test_unknown_holiday_subdivision(write_file: WriteFile) -> None:
    text = variant(("  holidays: US\n", "  holidays: DE-XX\n"))
    assert_error(check(write_file, text), "'DE' has no subdivision 'XX'", text, "calendar:")


def test_unknown_workday_name(write_file: WriteFile) -> None:
    text = variant(("[mon, tue, wed, thu, fri]", "[monday, tue]"))
    assert_error(check(write_file, text), "unknown weekday monday", text, "calendar:")


def test_key_must_equal_the_file_name(write_file: WriteFile) -> None:
    text = "# a comment first\n" + variant(("key: launch\n", "key: big-launch\n"))
    error = assert_error(
        check(write_file, text),
        "key `big-launch` differs from the file name",
        text,
        "key: big-launch",
    )
    assert error.hint == "set `key: launch` or rename the file to big-launch.yaml"


@pytest.mark.parametrize(
    ("schedule", "message"),
    [
        ("", "KPI `signups` has no schedule"),
        ("    every: 1d\n    from: +1d\n", "KPI `signups` has no schedule"),
        ("    at: +7d\n    every: 1d\n", "KPI `signups` has `at` and a recurrence"),
        ("    at: -1d\n", "KPI `signups`: `at` is before launch day"),
        (
            "    every: 1d\n    from: -3d\n    until: +3d\n",
            "KPI `signups`: `from` is before launch day",
        ),
        (
            "    every: 1d\n    from: +1d\n    until: -2d\n",
            "KPI `signups`: `until` is before launch day",
        ),
        (
            "    every: 1d\n    from: +2w\n    until: +7d\n",
            "KPI `signups`: `from` is after `until`",
        ),
        (
            "    every: 1bd\n    from: +1d\n    until: +7d\n",
            "KPI `signups`: `every` in business days",
        ),
    ],
)
def test_kpi_schedule_errors(write_file: WriteFile, schedule: str, message: str) -> None:
    text = variant(("    at: +7d\n", schedule))
    assert_error(check(write_file, text), message, text, "key: signups")


@pytest.mark.parametrize(
    "schedule",
    [
        "    at: 0d\n",
        "    at: +14d 17:00\n",
        "    every: 12h\n    from: 0d\n    until: +2d\n",
        "    every: 1w\n    from: +7d\n    until: +8w\n",
    ],
)
def test_valid_kpi_schedules(write_file: WriteFile, schedule: str) -> None:
    assert check(write_file, variant(("    at: +7d\n", schedule))) == []


# --- fragments ------------------------------------------------------------------------


def with_include(include: str) -> str:
    return variant(("phases:\n", f"include:\n{include}phases:\n"))


def test_fragment_tasks_and_roles_are_merged(write_file: WriteFile) -> None:
    write_file("fragments/extra.yaml", FRAGMENT)
    spec = load_template(write_file("launch.yaml", with_include("  - fragments/extra.yaml\n")))
    assert spec.roles["sales_lead"] == "sales"
    task = next(t for t in spec.tasks if t.key == "sales-training")
    assert task.location.file == "templates/fragments/extra.yaml"
    assert task.location.line == line_of(FRAGMENT, "- key: sales-training")


def test_include_condition_applies_to_every_fragment_task(write_file: WriteFile) -> None:
    write_file("fragments/extra.yaml", FRAGMENT)
    include = "  - file: fragments/extra.yaml\n    when: '\"emea\" in regions'\n"
    spec = load_template(write_file("launch.yaml", with_include(include)))
    task = next(t for t in spec.tasks if t.key == "sales-training")
    assert task.when is not None
    assert task.when.evaluate({"regions": ["emea"]}) is True
    assert task.when.evaluate({"regions": ["na"]}) is False


def test_duplicate_task_key_across_a_fragment(write_file: WriteFile) -> None:
    fragment = FRAGMENT.replace("key: sales-training", "key: positioning")
    write_file("fragments/extra.yaml", fragment)
    errors = check(write_file, with_include("  - fragments/extra.yaml\n"))
    error = assert_error(
        errors,
        "duplicate task key `positioning`",
        fragment,
        "key: positioning",
        file="templates/fragments/extra.yaml",
    )
    assert f"first defined at {FILE}:" in error.hint


def test_missing_include_file(write_file: WriteFile) -> None:
    text = with_include("  - fragments/nowhere.yaml\n")
    error = assert_error(
        check(write_file, text),
        "included file templates/fragments/nowhere.yaml not found",
        text,
        "fragments/nowhere.yaml",
    )
    assert "include" in error.hint


def test_fragment_name_must_equal_its_file_name(write_file: WriteFile) -> None:
    fragment = FRAGMENT.replace("fragment: extra", "fragment: extras")
    write_file("fragments/extra.yaml", fragment)
    errors = check(write_file, with_include("  - fragments/extra.yaml\n"))
    error = assert_error(
        errors,
        "fragment name differs from file",
        fragment,
        "fragment: extras",
        file="templates/fragments/extra.yaml",
    )
    assert "`extra`" in error.hint


def test_fragments_may_not_include_fragments(write_file: WriteFile) -> None:
    fragment = FRAGMENT.replace("roles:", "include: [fragments/other.yaml]\nroles:")
    write_file("fragments/extra.yaml", fragment)
    errors = check(write_file, with_include("  - fragments/extra.yaml\n"))
    assert_error(
        errors, "unknown key `include`", fragment, "include:", file="templates/fragments/extra.yaml"
    )


def test_errors_in_several_fragments_are_all_reported(write_file: WriteFile) -> None:
    write_file("fragments/extra.yaml", FRAGMENT.replace("fragment: extra", "fragment: x"))
    write_file("fragments/more.yaml", "fragment: more\ncolour: red\n")
    include = "  - fragments/extra.yaml\n  - fragments/more.yaml\n  - fragments/gone.yaml\n"
    errors = check(write_file, with_include(include))
    assert {e.message for e in errors} == {
        "fragment name differs from file",
        "unknown key `colour`",
        "included file templates/fragments/gone.yaml not found",
    }


def test_fragment_task_owner_must_be_known(write_file: WriteFile) -> None:
    fragment = FRAGMENT.replace("owner: sales_lead", "owner: nobody")
    write_file("fragments/extra.yaml", fragment)
    errors = check(write_file, with_include("  - fragments/extra.yaml\n"))
    error = single(errors, "unknown owner `nobody`")
    assert error.file == "templates/fragments/extra.yaml"


# --- everything at once ---------------------------------------------------------------


def test_all_semantic_errors_are_reported_together(write_file: WriteFile) -> None:
    text = variant(
        ("key: launch\n", "key: other\n"),
        ("  holidays: US\n", "  holidays: XX\n"),
        ("    default: tier1\n", "    default: gold\n"),
        ("      owner: pmm\n      due: -20bd\n", "      owner: cmo\n      due: -20bd\n"),
        ("      due: -5bd\n", "      due: +2bd\n      when: budget\n"),
        ("depends_on: [pricing-page]", "depends_on: [pricing-page, ghost]"),
        ("      due: +10bd\n", "      due: -3d\n"),
        ("    at: +7d\n", "    at: -7d\n"),
    )
    errors = check(write_file, text)
    expected = [
        "key `other` differs from the file name",
        "unknown holiday calendar 'XX'",
        "default 'gold' is not a choice",
        "unknown owner `cmo`",
        "is pre-launch but due after launch day",
        "names unknown parameter `budget`",
        "depends on unknown task `ghost`",
        "is post-launch but due before launch day",
        "`at` is before launch day",
    ]
    for fragment in expected:
        single(errors, fragment)
    assert all(e.file == FILE and e.line and e.hint for e in errors)


def test_all_shape_errors_are_reported_together(write_file: WriteFile) -> None:
    text = variant(
        ("version: 1\n", "version: 1\nauthor: me\n"),
        ("      due: -20bd\n", "      due: -20x\n"),
        ("      title: Launch review\n", ""),
        ("    check: signups >= 500\n", "    check: signups >>= 500\n"),
    )
    errors = check(write_file, text)
    assert [e.message for e in errors] == [
        "unknown key `author`",
        "'-20x' is not an offset",
        "`title` is missing",
        "'signups >>= 500' is not a KPI check",
    ]


def test_load_template_raises_with_every_error_sorted_by_line(write_file: WriteFile) -> None:
    text = variant(
        ("      due: +10bd\n", "      due: -3d\n"),
        ("      owner: pmm\n      due: -20bd\n", "      owner: cmo\n      due: -20bd\n"),
    )
    with pytest.raises(TemplateInvalid) as caught:
        load_template(write_file("launch.yaml", text))
    errors = caught.value.errors
    assert [e.line for e in errors] == sorted(e.line or 0 for e in errors)
    assert len(errors) == 2
    report = str(caught.value)
    assert f"{FILE}:{line_of(text, 'key: positioning')}: task `positioning`" in report
    assert "\n    hint: " in report


def test_fragment_mapping_a_role_to_another_team_is_an_error(write_file: WriteFile) -> None:
    fragment = FRAGMENT.replace("roles: {sales_lead: sales}", "roles:\n  pm: sales")
    fragment = fragment.replace("owner: sales_lead", "owner: pm")
    write_file("fragments/extra.yaml", fragment)
    error = assert_error(
        check(write_file, with_include("  - fragments/extra.yaml\n")),
        "role `pm` is `sales` here but `product` in the template",
        fragment,
        "pm: sales",
        file="templates/fragments/extra.yaml",
    )
    assert "one team" in error.hint


def test_self_dependency_is_reported_once_not_also_as_a_cycle(write_file: WriteFile) -> None:
    text = variant(("depends_on: [positioning]", "depends_on: [positioning, pricing-page]"))
    messages = [error.message for error in check(write_file, text)]
    assert not any("cycle" in message for message in messages)


def test_shape_and_semantic_errors_are_reported_together(write_file: WriteFile) -> None:
    """A broken task is left out, and the rest is still checked for meaning."""
    text = variant(
        ("      due: -20bd", "      due: -20x"),
        ("      owner: legal", "      owner: lawyers"),
    )
    errors = check(write_file, text)
    messages = [error.message for error in errors]
    assert "'-20x' is not an offset" in messages
    assert "task `review`: unknown owner `lawyers`" in messages
    # `pricing-page` depends on the broken task: not repeated as an unknown dependency
    assert not any("unknown task `positioning`" in message for message in messages)
    owner_error = next(e for e in errors if "lawyers" in e.message)
    assert owner_error.line == line_of(text, "- key: review")
