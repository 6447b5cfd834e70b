"""Expansion: a launch template and a launch day become a full plan, without a database."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time
from pathlib import Path

import pytest

from launchpad.planning.expansion import LaunchSettings, Plan, PlannedTask, expand
from launchpad.planning.loader import load_template
from launchpad.planning.parameters import ParameterError
from launchpad.planning.spec import TemplateSpec
from launchpad.planning.timezones import TimeZoneError
from launchpad.planning.workdays import CalendarError

WriteFile = Callable[[str, str], Path]

TEMPLATE = """\
key: launch
name: Expansion test
version: 1
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
  emea_lead: sales
teams: [legal]
calendar:
  holidays: US
phases:
  pre-launch:
    - key: positioning
      title: Positioning agreed
      owner: pmm
      due: -20bd
      start: -30bd
    - key: media-plan
      title: Paid media plan
      owner: pmm
      due: -10bd
      duration: 5bd
      when: paid_media
    - key: emea-localisation
      title: EMEA localisation
      owner: emea_lead
      due: -8bd
      when: '"emea" in regions'
      depends_on: [positioning]
    - key: legal-review
      title: Legal review
      owner: legal
      due: -3d
      start: -4bd
      depends_on: [positioning, media-plan, emea-localisation]
      gate: true
  launch:
    - key: announce
      title: Launch announced
      owner: pmm
      due: 0d 10:00
      milestone: true
      depends_on: [legal-review, media-plan]
  post-launch:
    - key: tier1-review
      title: Tier 1 review
      owner: pm
      due: +2w
      when: tier == "tier1"
kpis:
  - key: signups
    check: signups >= 500
    at: +7d
    owner: pmm
    unit: users
  - key: ad-clicks
    name: Ad clicks
    check: ads.clicks > 10000
    every: 1d
    from: +1d
    until: +14d
    owner: legal
    when: paid_media
"""

# Tue 2027-03-16: a plain week, no US holidays near it.
LAUNCH = date(2027, 3, 16)


@pytest.fixture
def spec(write_file: WriteFile) -> TemplateSpec:
    return load_template(write_file("launch.yaml", TEMPLATE))


def plan_for(spec: TemplateSpec, launch_day: date = LAUNCH, **settings: object) -> Plan:
    return expand(spec, LaunchSettings(launch_day, **settings))  # type: ignore[arg-type]


def task(plan: Plan, key: str) -> PlannedTask:
    return next(t for t in plan.tasks if t.key == key)


def test_default_parameters_leave_out_conditional_tasks(spec: TemplateSpec) -> None:
    plan = plan_for(spec)
    assert [t.key for t in plan.tasks] == [
        "positioning",
        "legal-review",
        "announce",
        "tier1-review",
    ]
    assert [t.position for t in plan.tasks] == [0, 1, 2, 3]
    assert plan.parameters == {"tier": "tier1", "regions": ["na"], "paid_media": False}


def test_parameters_include_and_exclude_tasks(spec: TemplateSpec) -> None:
    plan = plan_for(spec, parameters={"tier": "tier2", "regions": "na,emea", "paid_media": "true"})
    assert [t.key for t in plan.tasks] == [
        "positioning",
        "media-plan",
        "emea-localisation",
        "legal-review",
        "announce",
    ]


def test_dependencies_on_left_out_tasks_are_dropped(spec: TemplateSpec) -> None:
    plan = plan_for(spec)
    assert task(plan, "legal-review").depends_on == ("positioning",)
    assert task(plan, "announce").depends_on == ("legal-review",)
    full = plan_for(spec, parameters={"regions": ["emea"], "paid_media": True})
    assert task(full, "legal-review").depends_on == (
        "positioning",
        "media-plan",
        "emea-localisation",
    )


def test_owner_role_maps_to_its_team_and_a_team_owner_has_no_role(spec: TemplateSpec) -> None:
    plan = plan_for(spec, parameters={"regions": ["emea"]})
    assert (task(plan, "positioning").team, task(plan, "positioning").role) == (
        "marketing",
        "pmm",
    )
    emea = task(plan, "emea-localisation")
    assert (emea.team, emea.role) == ("sales", "emea_lead")
    legal = task(plan, "legal-review")
    assert (legal.team, legal.role) == ("legal", None)


def test_due_dates_offsets_and_times(spec: TemplateSpec) -> None:
    plan = plan_for(spec)
    assert task(plan, "positioning").due_date == date(2027, 2, 16)  # -20bd
    assert task(plan, "legal-review").due_date == date(2027, 3, 12)  # -3d is a Saturday: Fri
    announce = task(plan, "announce")
    assert (announce.due_date, announce.due_time, announce.due_offset) == (
        LAUNCH,
        time(10, 0),
        "0d 10:00",
    )
    assert announce.milestone and not announce.gate
    assert task(plan, "legal-review").gate
    assert task(plan, "positioning").due_time is None
    assert task(plan, "tier1-review").due_date == date(2027, 3, 30)


def test_start_dates_come_from_start_or_duration(spec: TemplateSpec) -> None:
    plan = plan_for(spec, parameters={"paid_media": True})
    positioning = task(plan, "positioning")
    # -30bd skips Washington's Birthday (Mon 2027-02-15).
    assert (positioning.start_date, positioning.start_offset) == (date(2027, 2, 1), "-30bd")
    media = task(plan, "media-plan")
    assert media.due_date == date(2027, 3, 2)
    assert (media.start_date, media.duration) == (date(2027, 2, 23), "5bd")
    assert task(plan, "announce").start_date is None


def test_start_never_falls_after_due(spec: TemplateSpec) -> None:
    # Launch Mon 2026-11-30: -3d is Fri 11-27 but -4bd (start) is Mon 11-23; fine.
    # Launch Tue 2026-12-01: -3d is Sat -> Fri 11-27; -4bd skips Thanksgiving -> Mon 11-23.
    # Launch Fri 2026-11-27: -3d is Tue 11-24; -4bd skips Thanksgiving -> Fri 11-20.
    for launch_day in (date(2026, 11, 30), date(2026, 12, 1), date(2026, 11, 27)):
        review = task(plan_for(spec, launch_day), "legal-review")
        assert review.start_date is not None
        assert review.start_date <= review.due_date


def test_start_is_clamped_to_due_when_holidays_push_it_later(write_file: WriteFile) -> None:
    text = TEMPLATE.replace(
        "      due: -3d\n      start: -4bd\n", "      due: -2bd\n      start: -3d\n"
    )
    spec = load_template(write_file("launch.yaml", text))
    # Launch Mon 2026-11-30: start -3d = Fri 11-27; due -2bd skips Thanksgiving = Wed 11-25.
    review = task(plan_for(spec, date(2026, 11, 30)), "legal-review")
    assert review.due_date == date(2026, 11, 25)
    assert review.start_date == date(2026, 11, 25)


def test_holidays_of_the_template_calendar_apply(spec: TemplateSpec) -> None:
    # Launch Mon 2026-11-30: -20bd skips Thanksgiving and Veterans Day (Wed 11-11).
    plan = plan_for(spec, date(2026, 11, 30))
    assert plan.holidays == "US"
    assert task(plan, "positioning").due_date == date(2026, 10, 29)
    assert not plan.calendar.is_working(date(2026, 11, 26))


def test_holidays_of_the_launch_override_the_template(spec: TemplateSpec) -> None:
    plan = plan_for(spec, date(2026, 11, 30), holidays="DE")
    assert plan.holidays == "DE"
    assert plan.calendar.is_working(date(2026, 11, 26))  # Thanksgiving is not German
    assert not plan.calendar.is_working(date(2026, 12, 25))
    assert task(plan, "positioning").due_date == date(2026, 11, 2)


def test_an_empty_launch_holiday_code_means_no_holidays(spec: TemplateSpec) -> None:
    plan = plan_for(spec, date(2026, 11, 30), holidays="")
    assert plan.calendar.holidays == frozenset()
    assert task(plan, "positioning").due_date == date(2026, 11, 2)


def test_kpis_are_included_by_condition_and_mapped_to_teams(spec: TemplateSpec) -> None:
    assert [k.key for k in plan_for(spec).kpis] == ["signups"]
    plan = plan_for(spec, parameters={"paid_media": True})
    signups, clicks = plan.kpis
    assert (signups.name, signups.metric, signups.comparator, signups.threshold) == (
        "signups >= 500",
        "signups",
        ">=",
        500.0,
    )
    assert (signups.role, signups.team, signups.unit, signups.at) == (
        "pmm",
        "marketing",
        "users",
        "+7d",
    )
    assert (clicks.name, clicks.role, clicks.team) == ("Ad clicks", None, "legal")
    assert (clicks.every, clicks.start, clicks.until, clicks.at) == ("1d", "+1d", "+14d", None)


def test_due_at_utc_uses_the_launch_time_zone(spec: TemplateSpec) -> None:
    plan = plan_for(spec, timezone="Europe/Berlin")
    assert plan.due_at_utc(task(plan, "announce")) == datetime(2027, 3, 16, 9, 0, tzinfo=UTC)
    assert plan.due_at_utc(task(plan, "positioning")) is None


def test_no_warnings_for_an_ordinary_launch(spec: TemplateSpec) -> None:
    assert plan_for(spec).warnings == ()


@pytest.mark.parametrize(
    ("launch_day", "reason"),
    [
        (date(2027, 3, 13), "launch day Sat 2027-03-13 is not a working day (a Saturday)"),
        (date(2026, 11, 26), "launch day Thu 2026-11-26 is not a working day (Thanksgiving Day)"),
    ],
)
def test_warning_when_launch_day_is_not_a_working_day(
    spec: TemplateSpec, launch_day: date, reason: str
) -> None:
    assert reason in plan_for(spec, launch_day).warnings


def test_warning_when_a_holiday_breaks_the_dependency_order(write_file: WriteFile) -> None:
    # -3d rolled *later* versus -1d rolled earlier holds for every plain week, but a Monday
    # holiday (Martin Luther King Jr. Day, 2027-01-18) pushes the dependency past its dependent.
    text = TEMPLATE.replace("      due: -8bd\n", "      due: -3d\n      roll: later\n").replace(
        "      due: -3d\n      start: -4bd\n", "      due: -1d\n"
    )
    spec = load_template(write_file("launch.yaml", text))
    plan = plan_for(spec, date(2027, 1, 19), parameters={"regions": ["emea"]})
    assert task(plan, "emea-localisation").due_date == date(2027, 1, 19)
    assert task(plan, "legal-review").due_date == date(2027, 1, 15)
    assert plan.warnings == (
        "'Legal review' (2027-01-15) depends on 'EMEA localisation', "
        "which is due later (2027-01-19) with these holidays",
    )
    # Without US holidays the order holds again.
    assert (
        plan_for(spec, date(2027, 1, 19), holidays="", parameters={"regions": ["emea"]}).warnings
        == ()
    )


def test_all_parameter_errors_are_reported_at_once(spec: TemplateSpec) -> None:
    with pytest.raises(ParameterError) as caught:
        plan_for(spec, parameters={"budget": 5, "tier": "gold", "paid_media": "perhaps"})
    assert len(caught.value.problems) == 3
    assert caught.value.problems[0].startswith("unknown parameter 'budget'")
    assert "parameter 'tier': 'gold' is not one of tier1, tier2" in caught.value.problems
    assert any("'paid_media'" in p for p in caught.value.problems)


def test_unknown_time_zone_is_refused(spec: TemplateSpec) -> None:
    with pytest.raises(TimeZoneError):
        plan_for(spec, timezone="Europe/Atlantis")


def test_unknown_holiday_code_is_refused(spec: TemplateSpec) -> None:
    with pytest.raises(CalendarError):
        plan_for(spec, holidays="XX")


def test_expansion_is_deterministic(spec: TemplateSpec) -> None:
    settings = LaunchSettings(LAUNCH, parameters={"paid_media": True})
    assert expand(spec, settings) == expand(spec, settings)


@pytest.mark.parametrize(
    "path",
    sorted((Path(__file__).resolve().parents[2] / "templates").glob("*.yaml")),
    ids=lambda p: p.stem,
)
def test_shipped_templates_expand_with_their_defaults(path: Path) -> None:
    spec = load_template(path)
    plan = plan_for(spec, date(2027, 3, 16))
    assert plan.tasks
    keys = {t.key for t in plan.tasks}
    assert all(dep in keys for t in plan.tasks for dep in t.depends_on)
    pre = [t for t in plan.tasks if t.phase == "pre-launch"]
    assert all(t.due_date <= date(2027, 3, 16) for t in pre)
