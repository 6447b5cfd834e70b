"""Template errors that point at a file and line and say how to fix them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class TemplateError:
    """One problem in a launch template, with where it is and a fix hint."""

    file: str
    line: int | None
    message: str
    hint: str = ""

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        text = f"{where}: {self.message}"
        return f"{text}\n    hint: {self.hint}" if self.hint else text


class TemplateInvalid(ValueError):
    """Raised with every error found, so authors fix them all in one pass."""

    def __init__(self, errors: list[TemplateError]) -> None:
        self.errors = sorted(errors, key=lambda e: (e.file, e.line or 0, e.message))
        super().__init__("\n".join(str(error) for error in self.errors))


HINT_SEPARATOR = "\n"


def hinted(message: str, hint: str) -> str:
    """Pack a hint into a marshmallow message; `split_hint` unpacks it."""
    return f"{message}{HINT_SEPARATOR}{hint}"


def split_hint(text: str) -> tuple[str, str]:
    message, _, hint = text.partition(HINT_SEPARATOR)
    return message, hint
