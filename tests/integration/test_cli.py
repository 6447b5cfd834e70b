"""The `launchpad` command: readable output, --json, and exit codes 0 / 2."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from launchpad.cli import cli
from launchpad.config import Settings
from launchpad.models import Launch

Invoke = Callable[..., Result]


@pytest.fixture
def invoke(settings: Settings, session: Session, monkeypatch: pytest.MonkeyPatch) -> Invoke:
    monkeypatch.setenv("LAUNCHPAD_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("LAUNCHPAD_INSTANCE_DIR", str(settings.instance_dir))
    monkeypatch.setenv("LAUNCHPAD_TEMPLATES_DIR", str(settings.templates_dir))
    runner = CliRunner()

    def run(*args: str) -> Result:
        return runner.invoke(cli, list(args), catch_exceptions=False)

    return run


def test_templates_check_passes_on_the_library(invoke: Invoke) -> None:
    result = invoke("templates", "check", str(Path(__file__).resolve().parents[2] / "templates"))
    assert result.exit_code == 0, result.output
    assert "0 error(s)" in result.output


def test_templates_check_reports_file_line_and_hint(invoke: Invoke, tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text(
        "key: broken\nname: Broken\nversion: 1\nphases:\n  pre-launch:\n"
        "    - key: a\n      title: A\n      owner: product\n      due: -5x\n"
    )
    result = invoke("templates", "check", str(broken))
    assert result.exit_code == 2
    assert "broken.yaml:9: '-5x' is not an offset" in result.output
    assert "hint:" in result.output


def test_templates_list_and_preview(invoke: Invoke) -> None:
    listed = json.loads(invoke("templates", "list", "--json").output)
    assert {row["key"] for row in listed} >= {"major-launch", "feature-release"}
    assert all(row["valid"] for row in listed)
    result = invoke(
        "templates",
        "preview",
        "feature-release",
        "--date",
        "2027-03-02",
        "--holidays",
        "DE",
        "--json",
    )
    assert result.exit_code == 0, result.output
    plan = json.loads(result.output)
    assert plan["launch_date"] == "2027-03-02" and plan["tasks"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--date", "2027-02-30"], "'2027-02-30' is not a date"),
        (["--date", "2027-03-02", "--tz", "Nowhere/City"], "unknown time zone 'Nowhere/City'"),
        (["--date", "2027-03-02", "--param", "tier"], "'tier' is not KEY=VALUE"),
        (["--date", "2027-03-02", "--param", "tier=tier9"], "'tier9' is not one of"),
    ],
)
def test_bad_input_exits_2_with_a_message(
    invoke: Invoke, session: Session, args: list[str], message: str
) -> None:
    result = invoke("launches", "create", "--template", "feature-release", "--name", "X", *args)
    assert result.exit_code == 2
    assert message in result.output
    assert session.scalar(select(func.count()).select_from(Launch)) == 0


def test_create_list_show_and_reschedule(invoke: Invoke) -> None:
    created = invoke(
        "launches",
        "create",
        "--template",
        "feature-release",
        "--name",
        "Comet",
        "--date",
        "2027-03-02",
        "--tz",
        "Europe/Berlin",
        "--holidays",
        "DE",
        "--json",
    )
    assert created.exit_code == 0, created.output
    launch_id = json.loads(created.output)["id"]
    listed = json.loads(invoke("launches", "list", "--json").output)
    assert [row["name"] for row in listed] == ["Comet"] and listed[0]["tasks"] > 20
    shown = json.loads(invoke("launches", "show", str(launch_id), "--json").output)
    assert shown["go"] is False and shown["critical_path"]
    preview = invoke(
        "launches", "reschedule", str(launch_id), "--date", "2027-03-09", "--dry-run", "--json"
    )
    moves = json.loads(preview.output)
    assert moves["applied"] is False and moves["moves"]
    applied = invoke(
        "launches", "reschedule", str(launch_id), "--date", "2027-03-09", "--expected-version", "1"
    )
    assert applied.exit_code == 0 and "moved" in applied.output
    stale = invoke(
        "launches", "reschedule", str(launch_id), "--date", "2027-03-16", "--expected-version", "1"
    )
    assert stale.exit_code == 2 and "changed since you loaded it" in stale.output
    missing = invoke("launches", "show", "999")
    assert missing.exit_code == 2 and "launch 999 not found" in missing.output


def test_users_create(invoke: Invoke) -> None:
    ok = invoke(
        "users",
        "create",
        "--email",
        "Ada@Example.com",
        "--password",
        "correct horse",
        "--role",
        "pm",
        "--team",
        "product",
        "--lead",
        "--json",
    )
    assert ok.exit_code == 0, ok.output
    assert json.loads(ok.output)["email"] == "ada@example.com"
    again = invoke(
        "users", "create", "--email", "ada@example.com", "--password", "short", "--role", "pm"
    )
    assert again.exit_code == 2
    assert "already has an account" in again.output and "at least 10" in again.output
