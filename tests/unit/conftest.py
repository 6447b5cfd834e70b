"""Fixtures for the pure planning tests: files in a temporary template folder, nothing else."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

WriteFile = Callable[[str, str], Path]


@pytest.fixture
def template_dir(tmp_path: Path) -> Path:
    """A `templates/` folder with an empty `fragments/` folder, like the shipped one."""
    directory = tmp_path / "templates"
    (directory / "fragments").mkdir(parents=True)
    return directory


@pytest.fixture
def write_file(template_dir: Path) -> WriteFile:
    """Write `text` to `templates/<relative>` and return its path."""

    def write(relative: str, text: str) -> Path:
        path = template_dir / relative
        path.write_text(text, encoding="utf-8")
        return path

    return write
