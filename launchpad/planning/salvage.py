"""Keep checking a template past its shape errors, so authors see every error at once.

Items with shape errors (a task, a KPI, a parameter, a role) are left out and the rest is
loaded again; semantic checks then run on what is left, minus the errors that only
repeat that something was left out.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from marshmallow import Schema, ValidationError

from launchpad.planning.yaml_source import YamlDocument

_NAMED_ENTRIES = ("parameters", "roles")


@dataclass(frozen=True, slots=True)
class Salvage:
    document: YamlDocument
    loaded: dict[str, Any]
    dropped_names: frozenset[str]


def salvage(
    document: YamlDocument, schema: Schema, error_paths: Iterable[tuple[Any, ...]]
) -> Salvage | None:
    """The document without its broken items, loaded; None when nothing useful is left."""
    data = _plain(document.data)
    if not isinstance(data, dict):
        return None
    drop_items: dict[tuple[Any, ...], set[int]] = {}
    dropped: set[str] = set()
    for path in error_paths:
        if not _mark(data, path, drop_items, dropped):
            return None
    kept = {}
    for list_path, indexes in drop_items.items():
        items = _at(data, list_path)
        kept[list_path] = [i for i in range(len(items)) if i not in indexes]
        items[:] = [items[i] for i in kept[list_path]]
    try:
        loaded = schema.load(data)
    except ValidationError:
        return None
    pruned = YamlDocument(document.file, document.data, kept)
    return Salvage(pruned, loaded, frozenset(dropped))


def _mark(
    data: dict[str, Any],
    path: tuple[Any, ...],
    drop_items: dict[tuple[Any, ...], set[int]],
    dropped: set[str],
) -> bool:
    """Mark what to leave out for one error; False when the error cannot be worked around."""
    if len(path) >= 2 and path[0] in _NAMED_ENTRIES and isinstance(data.get(path[0]), dict):
        data[path[0]].pop(path[1], None)
        dropped.add(str(path[1]))
        return True
    first_index = next((i for i, part in enumerate(path) if isinstance(part, int)), None)
    if first_index is None:
        return False
    list_path, index = tuple(path[:first_index]), path[first_index]
    try:
        item = _at(data, (*list_path, index))
    except (KeyError, IndexError, TypeError):
        return False
    if isinstance(item, dict) and isinstance(item.get("key"), str):
        dropped.add(item["key"])
    drop_items.setdefault(list_path, set()).add(index)
    return True


def _at(data: Any, path: tuple[Any, ...]) -> Any:
    for part in path:
        data = data[part]
    return data


def _plain(node: Any) -> Any:
    """A plain dict/list copy of ruamel's commented containers, safe to prune."""
    if isinstance(node, dict):
        return {key: _plain(value) for key, value in node.items()}
    if isinstance(node, list):
        return [_plain(item) for item in node]
    return node
