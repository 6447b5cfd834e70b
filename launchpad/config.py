"""Settings from ``LAUNCHPAD_*`` environment variables, with embedded defaults.

Configuration comes only from the environment (DESIGN.md section 8) so the same code runs
under ``make run``, docker-compose and the tests; tests pass their own values as overrides.
"""

from __future__ import annotations

import os
import re
import secrets
import time
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

PREFIX = "LAUNCHPAD_"
DEFAULT_BASE_URL = "http://127.0.0.1:5000"
MIN_SECRET_LENGTH = 16
_RATE_RE = re.compile(r"^\d+\s*(?:per|/)\s*(?:\d+\s*)?(?:second|minute|hour|day)s?$")
_REPO_TEMPLATES = Path(__file__).resolve().parents[1] / "templates"


class ConfigError(ValueError):
    """A setting has a value Launchpad cannot use; the message names the variable."""


@dataclass(frozen=True)
class Settings:
    """Everything a process needs to know about its deployment, validated once."""

    instance_dir: Path
    database_url: str
    redis_url: str | None  # None: the embedded redis-server in instance_dir
    secret_key: str = field(repr=False)
    base_url: str
    smtp_url: str | None
    templates_dir: Path
    testing: bool = False
    api_rate_limit: str = "600 per minute"
    trusted_proxies: int = 0  # reverse proxies in front whose X-Forwarded-* are believed
    metrics_token: str | None = field(default=None, repr=False)  # None: loopback only
    heartbeat_max_age: int = 120  # seconds; an older cron heartbeat makes /readyz fail

    def __post_init__(self) -> None:
        _check_database_url(self.database_url)
        if self.redis_url is not None:
            _check_url("LAUNCHPAD_REDIS_URL", self.redis_url, {"redis", "rediss", "unix"})
        if self.smtp_url is not None:
            _check_url("LAUNCHPAD_SMTP_URL", self.smtp_url, {"smtp", "smtps"})
        _check_url("LAUNCHPAD_BASE_URL", self.base_url, {"http", "https"})
        if not _RATE_RE.match(self.api_rate_limit):
            raise ConfigError(
                f"LAUNCHPAD_API_RATE_LIMIT={self.api_rate_limit!r} must look like "
                "'600 per minute' or '20/second'"
            )
        _check_range("LAUNCHPAD_TRUSTED_PROXIES", self.trusted_proxies, 0, 10)
        _check_range("LAUNCHPAD_HEARTBEAT_MAX_AGE", self.heartbeat_max_age, 10, 86400)
        if self.metrics_token is not None and len(self.metrics_token) < MIN_SECRET_LENGTH:
            raise ConfigError(
                f"LAUNCHPAD_METRICS_TOKEN must be at least {MIN_SECRET_LENGTH} characters"
            )
        if len(self.secret_key) < MIN_SECRET_LENGTH:
            raise ConfigError(
                f"LAUNCHPAD_SECRET_KEY must be at least {MIN_SECRET_LENGTH} characters; "
                'generate one with: python -c "import secrets; print(secrets.token_hex(32))"'
            )

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
        """Read the environment (``os.environ`` by default); keyword overrides win.

        Defaults that depend on the instance directory (database file, secret) follow an
        overridden ``instance_dir``. The secret file is only created when no key is given.
        """
        env = os.environ if environ is None else environ
        unknown = set(overrides) - {f.name for f in fields(cls)}
        if unknown:
            raise TypeError(f"unknown settings: {', '.join(sorted(unknown))}")
        instance = _absolute(
            overrides.get("instance_dir") or _read(env, "INSTANCE_DIR") or "instance"
        )
        values: dict[str, Any] = {
            "instance_dir": instance,
            "database_url": _read(env, "DATABASE_URL") or f"sqlite:///{instance / 'launchpad.db'}",
            "redis_url": _read(env, "REDIS_URL"),
            "base_url": (_read(env, "BASE_URL") or DEFAULT_BASE_URL).rstrip("/"),
            "smtp_url": _read(env, "SMTP_URL"),
            "templates_dir": _absolute(_read(env, "TEMPLATES_DIR") or _default_templates_dir()),
            "api_rate_limit": _read(env, "API_RATE_LIMIT") or "600 per minute",
            "trusted_proxies": read_int(env, "TRUSTED_PROXIES", 0),
            "metrics_token": _read(env, "METRICS_TOKEN"),
            "heartbeat_max_age": read_int(env, "HEARTBEAT_MAX_AGE", 120),
        }
        values.update({k: v for k, v in overrides.items() if k != "instance_dir"})
        values["templates_dir"] = _absolute(values["templates_dir"])
        if "secret_key" not in values:
            values["secret_key"] = _read(env, "SECRET_KEY") or load_or_create_secret(instance)
        return cls(**values)


def _read(env: Mapping[str, str], name: str) -> str | None:
    """An unset or blank variable means "use the default" (compose files often set blanks)."""
    value = env.get(PREFIX + name, "").strip()
    return value or None


def read_int(env: Mapping[str, str], name: str, default: int) -> int:
    """A whole-number variable (``name`` without the prefix); blank means ``default``."""
    raw = _read(env, name)
    if raw is None:
        return default
    try:
        return int(raw)
    except ValueError:
        raise ConfigError(f"{PREFIX}{name}={raw!r} must be a whole number") from None


def _check_range(variable: str, value: int, low: int, high: int) -> None:
    if not low <= value <= high:
        raise ConfigError(f"{variable}={value} must be between {low} and {high}")


def _absolute(value: str | os.PathLike[str]) -> Path:
    return Path(value).expanduser().resolve()


def _default_templates_dir() -> Path:
    return _REPO_TEMPLATES if _REPO_TEMPLATES.is_dir() else Path("templates")


def _check_url(variable: str, value: str, schemes: set[str]) -> None:
    parts = urlsplit(value)
    if parts.scheme not in schemes:
        allowed = ", ".join(f"{s}://" for s in sorted(schemes))
        raise ConfigError(f"{variable}={value!r} must start with one of {allowed}")
    if parts.scheme != "unix" and not parts.hostname:
        raise ConfigError(f"{variable}={value!r} has no host name")


def _check_database_url(value: str) -> None:
    try:
        url = make_url(value)
    except ArgumentError as exc:
        raise ConfigError(f"LAUNCHPAD_DATABASE_URL={value!r} is not a database URL") from exc
    if url.get_backend_name() not in {"sqlite", "postgresql"}:
        raise ConfigError(
            f"LAUNCHPAD_DATABASE_URL={value!r}: only sqlite:// and postgresql+psycopg:// "
            "databases are supported"
        )


def load_or_create_secret(instance_dir: Path) -> str:
    """Return the key in ``<instance>/secret_key``, generating it once.

    O_EXCL makes exactly one of several processes starting together write the file; the
    others wait the few milliseconds until its content is there, so everyone signs
    sessions with the same key.
    """
    path = instance_dir / "secret_key"
    instance_dir.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return _read_secret(path)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(secrets.token_hex(32) + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    return _read_secret(path)


def _read_secret(path: Path, wait_seconds: float = 1.0) -> str:
    deadline = time.monotonic() + wait_seconds
    while True:
        key = path.read_text(encoding="utf-8").strip()
        if key or time.monotonic() > deadline:
            break
        time.sleep(0.01)
    if len(key) < MIN_SECRET_LENGTH:
        raise ConfigError(f"{path} holds no usable secret key; delete it to generate a new one")
    return key
