"""Reading YAML with line numbers (ruamel.yaml) and pointing back at lines."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from launchpad.planning.errors import TemplateError


@dataclass(frozen=True, slots=True)
class YamlDocument:
    """A parsed YAML file that still knows the line of every key and item."""

    file: str
    data: Any
    # list path -> original indexes of the items kept, when broken items were left out
    kept_items: dict[tuple[Any, ...], list[int]] = field(default_factory=dict)

    def line_of(self, path: tuple[Any, ...] | list[Any]) -> int | None:
        """1-based line of the deepest node on `path` that exists."""
        node, line = self.data, _own_line(self.data)
        for depth, given in enumerate(path):
            kept = self.kept_items.get(tuple(path[:depth]))
            part = kept[given] if kept is not None and isinstance(given, int) else given
            if isinstance(node, CommentedMap) and part in node:
                line = node.lc.key(part)[0] + 1
                node = node[part]
            elif isinstance(node, CommentedSeq) and isinstance(part, int) and part < len(node):
                line = node.lc.item(part)[0] + 1
                node = node[part]
            else:
                break
        return line


def _own_line(node: Any) -> int | None:
    lc = getattr(node, "lc", None)
    return lc.line + 1 if lc is not None and lc.line is not None else None


def read_yaml(path: Path, label: str) -> YamlDocument | TemplateError:
    """Parse `path`, or return one error with the line where YAML gave up."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return TemplateError(label, None, "file not found", "check the path in `include`")
    except (OSError, UnicodeDecodeError) as error:
        return TemplateError(label, None, f"cannot read the file: {error}", "save it as UTF-8")
    return parse_yaml_text(text, label)


def parse_yaml_text(text: str, label: str) -> YamlDocument | TemplateError:
    yaml = YAML(typ="rt")
    try:
        data = yaml.load(text)
    except MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark is not None else None
        problem = error.problem or error.context or "not valid YAML"
        return TemplateError(label, line, f"YAML: {problem}", _yaml_hint(problem))
    except YAMLError as error:
        return TemplateError(label, None, f"YAML: {error}", "check indentation and quoting")
    if not isinstance(data, CommentedMap):
        return TemplateError(label, 1, "the file must be a YAML mapping", "start with `key: ...`")
    return YamlDocument(label, data)


def _yaml_hint(problem: str) -> str:
    if "duplicate key" in problem:
        return "each key may appear once in a mapping: remove or rename the second one"
    return "check indentation, colons and quoting around this line"
