"""What every command needs: settings, a database session and error-to-exit-code rules."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, time
from typing import NoReturn, ParamSpec, TypeVar

import click
from sqlalchemy.orm import Session

from launchpad.config import ConfigError, Settings
from launchpad.db import make_engine, make_session_factory, session_scope
from launchpad.planning.errors import TemplateInvalid
from launchpad.services.errors import ServiceError, StaleEdit

P = ParamSpec("P")
R = TypeVar("R")
EXIT_BAD_INPUT = 2


def settings() -> Settings:
    try:
        return Settings.from_env()
    except ConfigError as error:
        raise click.UsageError(str(error)) from error


@contextmanager
def session_for(current: Settings) -> Iterator[Session]:
    """One transaction: committed when the command succeeds, rolled back otherwise."""
    engine = make_engine(current.database_url)
    try:
        with session_scope(make_session_factory(engine)) as session:
            yield session
    finally:
        engine.dispose()


def now() -> datetime:
    return datetime.now(UTC)


def friendly_errors(command: Callable[P, R]) -> Callable[P, R]:
    """Bad input exits 2 with a message; a stale edit too (nothing was written)."""

    @functools.wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except StaleEdit as error:
            _fail(str(error))
        except (ServiceError, TemplateInvalid) as error:
            _fail(str(error))

    return wrapper


def _fail(message: str) -> NoReturn:
    click.echo(f"error: {message}", err=True)
    sys.exit(EXIT_BAD_INPUT)


def parse_date(_ctx: object, param: click.Parameter, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"'{value}' is not a date; write YYYY-MM-DD") from None


def parse_time(_ctx: object, param: click.Parameter, value: str | None) -> time | None:
    if value is None:
        return None
    try:
        return time.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"'{value}' is not a time; write HH:MM") from None


def parse_pairs(_ctx: object, param: click.Parameter, values: tuple[str, ...]) -> dict[str, str]:
    """`k=v` options into a dict, naming the one that has no `=`."""
    pairs = {}
    for item in values:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise click.BadParameter(f"'{item}' is not KEY=VALUE")
        pairs[key.strip()] = value.strip()
    return pairs
