"""Errors a use case raises for its caller to turn into a 4xx, a message or an exit code."""

from __future__ import annotations

from typing import Any


class ServiceError(Exception):
    """Base of the errors a caller is expected to show to the user."""


class NotFound(ServiceError):
    def __init__(self, kind: str, ident: object) -> None:
        super().__init__(f"{kind} {ident} not found")
        self.kind = kind
        self.ident = ident


class InvalidInput(ServiceError):
    """Bad input, with every problem found (field -> message)."""

    def __init__(self, problems: dict[str, str] | list[str]) -> None:
        self.problems = problems if isinstance(problems, dict) else {"": "; ".join(problems)}
        super().__init__("; ".join(f"{k}: {v}" if k else v for k, v in self.problems.items()))


class StaleEdit(ServiceError):
    """The launch changed since the caller read it; `changes` says what changed."""

    def __init__(self, current_version: int, changes: list[dict[str, Any]]) -> None:
        super().__init__(
            f"the launch changed since you loaded it (now version {current_version}); "
            f"{len(changes)} change(s) since"
        )
        self.current_version = current_version
        self.changes = changes


class Forbidden(ServiceError):
    def __init__(self, action: str) -> None:
        super().__init__(f"you may not {action}")
        self.action = action
