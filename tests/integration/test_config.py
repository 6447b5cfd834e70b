"""Settings from the environment: defaults, overrides, the generated secret, bad values."""

from __future__ import annotations

import stat
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from launchpad.config import ConfigError, Settings, load_or_create_secret


def test_defaults_live_in_the_instance_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    settings = Settings.from_env({})
    instance = tmp_path.resolve() / "instance"
    assert settings.instance_dir == instance
    assert settings.database_url == f"sqlite:///{instance / 'launchpad.db'}"
    assert settings.redis_url is None
    assert settings.smtp_url is None
    assert settings.base_url == "http://127.0.0.1:5000"
    assert settings.templates_dir.is_absolute()
    assert settings.testing is False
    assert (instance / "secret_key").read_text().strip() == settings.secret_key


def test_environment_overrides_defaults(tmp_path: Path) -> None:
    env = {
        "LAUNCHPAD_INSTANCE_DIR": str(tmp_path / "inst"),
        "LAUNCHPAD_DATABASE_URL": "postgresql+psycopg://u@db.example:5432/lp",
        "LAUNCHPAD_REDIS_URL": "redis://cache.example:6379/2",
        "LAUNCHPAD_SECRET_KEY": "s" * 32,
        "LAUNCHPAD_BASE_URL": "https://launch.example.com/",
        "LAUNCHPAD_SMTP_URL": "smtp://mail.example.com:587",
        "LAUNCHPAD_TEMPLATES_DIR": str(tmp_path / "tpl"),
    }
    settings = Settings.from_env(env)
    assert settings.instance_dir == tmp_path / "inst"
    assert settings.database_url == env["LAUNCHPAD_DATABASE_URL"]
    assert settings.redis_url == env["LAUNCHPAD_REDIS_URL"]
    assert settings.secret_key == "s" * 32
    assert settings.base_url == "https://launch.example.com"
    assert settings.smtp_url == env["LAUNCHPAD_SMTP_URL"]
    assert settings.templates_dir == tmp_path / "tpl"
    assert not (tmp_path / "inst").exists(), "nothing to generate, so nothing is written"


def test_blank_variables_mean_default(tmp_path: Path) -> None:
    env = {"LAUNCHPAD_INSTANCE_DIR": str(tmp_path), "LAUNCHPAD_REDIS_URL": " "}
    assert Settings.from_env(env).redis_url is None


def test_keyword_overrides_win_and_follow_instance_dir(tmp_path: Path) -> None:
    env = {"LAUNCHPAD_REDIS_URL": "redis://cache.example/0"}
    settings = Settings.from_env(env, instance_dir=tmp_path, redis_url=None, testing=True)
    assert settings.redis_url is None
    assert settings.testing is True
    assert settings.database_url == f"sqlite:///{tmp_path / 'launchpad.db'}"


def test_unknown_override_is_a_type_error(tmp_path: Path) -> None:
    with pytest.raises(TypeError, match="databse_url"):
        Settings.from_env({}, instance_dir=tmp_path, databse_url="sqlite://")


def test_secret_is_generated_once_private_and_stable(tmp_path: Path) -> None:
    first = Settings.from_env({}, instance_dir=tmp_path).secret_key
    second = Settings.from_env({}, instance_dir=tmp_path).secret_key
    assert first == second
    assert len(first) == 64
    assert stat.S_IMODE((tmp_path / "secret_key").stat().st_mode) == 0o600


def test_concurrent_first_starts_agree_on_one_secret(tmp_path: Path) -> None:
    with ThreadPoolExecutor(max_workers=8) as pool:
        keys = set(pool.map(lambda _: load_or_create_secret(tmp_path), range(16)))
    assert len(keys) == 1


def test_secret_is_not_in_repr(tmp_path: Path) -> None:
    settings = Settings.from_env({}, instance_dir=tmp_path)
    assert settings.secret_key not in repr(settings)


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("LAUNCHPAD_BASE_URL", "launch.example.com", "must start with one of http://, https://"),
        ("LAUNCHPAD_BASE_URL", "https://", "has no host name"),
        ("LAUNCHPAD_DATABASE_URL", "not a url", "is not a database URL"),
        ("LAUNCHPAD_DATABASE_URL", "mysql://db/lp", "only sqlite:// and postgresql"),
        ("LAUNCHPAD_REDIS_URL", "localhost:6379", "LAUNCHPAD_REDIS_URL"),
        ("LAUNCHPAD_SMTP_URL", "mail.example.com", "LAUNCHPAD_SMTP_URL"),
        ("LAUNCHPAD_SECRET_KEY", "short", "at least 16 characters"),
    ],
)
def test_bad_values_raise_a_clear_config_error(
    tmp_path: Path, variable: str, value: str, message: str
) -> None:
    env = {"LAUNCHPAD_INSTANCE_DIR": str(tmp_path), variable: value}
    with pytest.raises(ConfigError, match=message):
        Settings.from_env(env)


def test_an_empty_secret_file_is_reported(tmp_path: Path) -> None:
    (tmp_path / "secret_key").write_text("")
    with pytest.raises(ConfigError, match="delete it"):
        load_or_create_secret(tmp_path)
