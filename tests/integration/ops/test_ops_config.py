"""Deployment settings: validated, and every one documented in .env.example and compose."""

from __future__ import annotations

import re
from dataclasses import fields
from pathlib import Path

import pytest

from launchpad.config import ConfigError, Settings

REPO = Path(__file__).resolve().parents[3]
WEB_SERVER_VARIABLES = ("WEB_WORKERS", "WEB_THREADS", "WEB_TIMEOUT", "LOG_FORMAT")


def variables() -> list[str]:
    names = [f.name.upper() for f in fields(Settings) if f.name != "testing"]
    return [f"LAUNCHPAD_{name}" for name in (*names, *WEB_SERVER_VARIABLES)]


def test_new_settings_are_read_and_checked(tmp_path: Path) -> None:
    env = {
        "LAUNCHPAD_TRUSTED_PROXIES": "2",
        "LAUNCHPAD_METRICS_TOKEN": "a-long-enough-metrics-token",
        "LAUNCHPAD_HEARTBEAT_MAX_AGE": "300",
    }
    settings = Settings.from_env(env, instance_dir=tmp_path)
    assert settings.trusted_proxies == 2
    assert settings.metrics_token == "a-long-enough-metrics-token"
    assert "metrics-token" not in repr(settings)
    assert settings.heartbeat_max_age == 300
    defaults = Settings.from_env({}, instance_dir=tmp_path)
    assert (defaults.trusted_proxies, defaults.metrics_token) == (0, None)


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("TRUSTED_PROXIES", "-1", "between 0 and 10"),
        ("TRUSTED_PROXIES", "one", "whole number"),
        ("METRICS_TOKEN", "short", "at least 16"),
        ("HEARTBEAT_MAX_AGE", "1", "between 10 and 86400"),
    ],
)
def test_bad_values_name_the_variable(tmp_path: Path, name: str, value: str, message: str) -> None:
    with pytest.raises(ConfigError, match=f"LAUNCHPAD_{name}.*{message}"):
        Settings.from_env({f"LAUNCHPAD_{name}": value}, instance_dir=tmp_path)


def test_env_example_documents_every_variable() -> None:
    documented = set(
        re.findall(r"^#? ?(LAUNCHPAD_[A-Z_]+)=", (REPO / ".env.example").read_text(), re.M)
    )
    assert set(variables()) <= documented


def test_compose_passes_every_variable_to_the_containers() -> None:
    compose = (REPO / "docker-compose.yml").read_text()
    missing = [name for name in variables() if f"{name}:" not in compose]
    assert missing == []
