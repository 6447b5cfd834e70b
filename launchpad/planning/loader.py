"""Load a launch template file and its fragments into a checked TemplateSpec."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from marshmallow import Schema, ValidationError

from launchpad.planning.conditions import Condition, parse_condition
from launchpad.planning.errors import TemplateError, TemplateInvalid, split_hint
from launchpad.planning.salvage import salvage
from launchpad.planning.semantics import check_semantics
from launchpad.planning.shape import (
    FragmentSchema,
    TemplateSchema,
    allowed_keys,
    flatten_messages,
)
from launchpad.planning.spec import (
    PHASES,
    CalendarSpec,
    KpiSpec,
    Location,
    ParameterSpec,
    TaskSpec,
    TemplateSpec,
)
from launchpad.planning.yaml_source import YamlDocument, read_yaml

_PHASE_FIELDS = {
    "pre-launch": "pre_launch",
    "launch": "launch",
    "post-launch": "post_launch",
}


def load_template(path: Path, root: Path | None = None) -> TemplateSpec:
    """Read, shape-check, merge fragments and check semantics; raise TemplateInvalid."""
    spec, errors, dropped = _load(path, root or path.parent)
    if spec is not None:
        semantic = check_semantics(spec, expected_key=path.stem)
        errors += [e for e in semantic if not _repeats_dropped(e, dropped)]
    if errors or spec is None:
        raise TemplateInvalid(errors)
    return spec


def _repeats_dropped(error: TemplateError, dropped: set[str]) -> bool:
    """A semantic error that only says an item left out for its shape errors is unknown."""
    return "unknown" in error.message and any(f"`{name}`" in error.message for name in dropped)


def check_template(path: Path, root: Path | None = None) -> list[TemplateError]:
    """Every error in one template file and its fragments (empty when it is fine)."""
    try:
        load_template(path, root)
    except TemplateInvalid as invalid:
        return invalid.errors
    return []


def spec_from_document(data: dict[str, Any], label: str) -> TemplateSpec:
    """Rebuild a spec from a stored, resolved body (no includes, no line numbers)."""
    document = YamlDocument(label, data)
    loaded, errors = _shape(document, TemplateSchema())
    if loaded is None or errors:
        raise TemplateInvalid(errors)
    spec = _build(document, loaded, [])
    errors = check_semantics(spec, expected_key=None)
    if errors:
        raise TemplateInvalid(errors)
    return spec


def _label(path: Path, root: Path) -> str:
    try:
        return str(path.resolve().relative_to(root.resolve().parent))
    except ValueError:
        return str(path)


def _load(path: Path, root: Path) -> tuple[TemplateSpec | None, list[TemplateError], set[str]]:
    """The spec (built from what is well-formed), the shape errors, the names left out."""
    document = read_yaml(path, _label(path, root))
    if isinstance(document, TemplateError):
        return None, [document], set()
    document, loaded, errors, dropped = _shape_or_salvage(document, TemplateSchema())
    if loaded is None:
        return None, errors, dropped
    fragments: list[tuple[YamlDocument, dict[str, Any], Condition | None]] = []
    missing_fragment = False
    for index, include in enumerate(loaded["include"]):
        fragment, fragment_errors, fragment_dropped = _load_fragment(
            path.parent / include["file"], root
        )
        dropped |= fragment_dropped
        line = document.line_of(["include", index])
        errors += [_at_include(error, document.file, line) for error in fragment_errors]
        if fragment is None:
            missing_fragment = True
        else:
            fragments.append((*fragment, include["when"]))
    if missing_fragment:  # its tasks are unknown: meaning checks would only add noise
        return None, errors, dropped
    errors += _role_conflicts(loaded["roles"], fragments)
    return _build(document, loaded, fragments), errors, dropped


def _shape_or_salvage(
    document: YamlDocument, schema: Schema
) -> tuple[YamlDocument, dict[str, Any] | None, list[TemplateError], set[str]]:
    """Load the shape; on errors, also load what is left without the broken items."""
    try:
        return document, schema.load(document.data), [], set()
    except ValidationError as invalid:
        pairs = flatten_messages(invalid.normalized_messages())  # type: ignore[no-untyped-call]
    errors = [_shape_error(document, schema, path, text) for path, text in pairs]
    rescued = salvage(document, schema, [path for path, _ in pairs])
    if rescued is None:
        return document, None, errors, set()
    return rescued.document, rescued.loaded, errors, set(rescued.dropped_names)


def _role_conflicts(
    roles: dict[str, str],
    fragments: list[tuple[YamlDocument, dict[str, Any], Condition | None]],
) -> list[TemplateError]:
    """A role that a fragment maps to another team than the template (or another fragment)."""
    seen = {role: (team, "the template") for role, team in roles.items()}
    errors = []
    for document, fragment, _ in fragments:
        for role, team in fragment["roles"].items():
            first_team, where = seen.setdefault(role, (team, document.file))
            if first_team != team:
                line = document.line_of(["roles", role])
                message = f"role `{role}` is `{team}` here but `{first_team}` in {where}"
                hint = "map the role to one team everywhere, or rename it in the fragment"
                errors.append(TemplateError(document.file, line, message, hint))
    return errors


def _load_fragment(
    path: Path, root: Path
) -> tuple[tuple[YamlDocument, dict[str, Any]] | None, list[TemplateError], set[str]]:
    document = read_yaml(path, _label(path, root))
    if isinstance(document, TemplateError):
        return None, [document], set()
    document, loaded, errors, dropped = _shape_or_salvage(document, FragmentSchema())
    if loaded is None:
        return None, errors, dropped
    if loaded["fragment"] != path.stem:
        line = document.line_of(["fragment"])
        hint = f"name the fragment `{path.stem}` or rename the file"
        error = TemplateError(document.file, line, "fragment name differs from file", hint)
        return None, [*errors, error], dropped
    return (document, loaded), errors, dropped


def _at_include(error: TemplateError, file: str, line: int | None) -> TemplateError:
    if error.line is None and error.message == "file not found":
        return TemplateError(file, line, f"included file {error.file} not found", error.hint)
    return error


def _shape(
    document: YamlDocument, schema: Schema
) -> tuple[dict[str, Any] | None, list[TemplateError]]:
    try:
        return schema.load(document.data), []
    except ValidationError as invalid:
        pairs = flatten_messages(invalid.normalized_messages())  # type: ignore[no-untyped-call]
        return None, [_shape_error(document, schema, path, text) for path, text in pairs]


def _shape_error(
    document: YamlDocument, schema: Schema, path: tuple[Any, ...], text: str
) -> TemplateError:
    path = _yaml_path(path)
    line = document.line_of(path)
    message, hint = split_hint(text)
    name = str(path[-1]) if path else "document"
    where = ".".join(str(part) for part in path)
    if message == "Unknown field.":
        keys = allowed_keys(schema, list(path[:-1]))
        message, hint = f"unknown key `{name}`", f"allowed here: {', '.join(keys)}"
    elif message == "Missing data for required field.":
        message, hint = f"`{name}` is missing", f"add `{name}:` at {where or 'the top'}"
    elif not hint:
        hint = "see templates/README.md for this key"
        message = f"`{where}`: {message}"
    return TemplateError(document.file, line, message, hint)


def _yaml_path(path: tuple[Any, ...]) -> tuple[Any, ...]:
    """Marshmallow files errors of a `parameters` entry under an extra `value` level."""
    if len(path) > 3 and path[0] == "parameters" and path[2] == "value":
        return (*path[:2], *path[3:])
    return path


def _build(
    document: YamlDocument,
    loaded: dict[str, Any],
    fragments: list[tuple[YamlDocument, dict[str, Any], Condition | None]],
) -> TemplateSpec:
    roles = dict(loaded["roles"])
    teams = list(loaded["teams"])
    tasks = _tasks(document, loaded, None)
    kpis = _kpis(document, loaded, None)
    for fragment_doc, fragment, condition in fragments:
        for role, team in fragment["roles"].items():
            roles.setdefault(role, team)
        teams += [team for team in fragment["teams"] if team not in teams]
        tasks += _tasks(fragment_doc, fragment, condition)
        kpis += _kpis(fragment_doc, fragment, condition)
    # Phase order, as `to_document` stores it, so a stored body rebuilds the same plan.
    tasks.sort(key=lambda task: PHASES.index(task.phase))
    calendar = loaded["calendar"] or {}
    return TemplateSpec(
        key=loaded["key"],
        name=loaded["name"],
        version=loaded["version"],
        description=loaded["description"],
        location=Location(document.file, document.line_of(["key"]) or 1),
        parameters=_parameters(document, loaded["parameters"]),
        roles=roles,
        teams=tuple(teams),
        calendar=CalendarSpec(
            workdays=tuple(calendar.get("workdays", CalendarSpec().workdays)),
            holidays=calendar.get("holidays"),
            location=Location(document.file, document.line_of(["calendar"])),
        ),
        tasks=tuple(tasks),
        kpis=tuple(kpis),
    )


def _parameters(document: YamlDocument, raw: dict[str, Any]) -> dict[str, ParameterSpec]:
    return {
        name: ParameterSpec(
            name=name,
            type=item["type"],
            default=_plain(item["default"]),
            label=item["label"],
            choices=tuple(item["choices"]),
            location=Location(document.file, document.line_of(["parameters", name])),
        )
        for name, item in raw.items()
    }


def _tasks(
    document: YamlDocument, loaded: dict[str, Any], extra: Condition | None
) -> list[TaskSpec]:
    tasks = []
    for phase in PHASES:
        for index, item in enumerate(loaded["phases"].get(_PHASE_FIELDS[phase], [])):
            line = document.line_of(["phases", phase, index])
            tasks.append(
                TaskSpec(
                    phase=phase,
                    location=Location(document.file, line),
                    when=_combine(item.pop("when"), extra),
                    depends_on=tuple(item.pop("depends_on")),
                    **item,
                )
            )
    return tasks


def _kpis(document: YamlDocument, loaded: dict[str, Any], extra: Condition | None) -> list[KpiSpec]:
    kpis = []
    for index, item in enumerate(loaded["kpis"]):
        check = item.pop("check")
        kpis.append(
            KpiSpec(
                metric=check.metric,
                comparator=check.comparator,
                threshold=check.threshold,
                check=str(check),
                location=Location(document.file, document.line_of(["kpis", index])),
                when=_combine(item.pop("when"), extra),
                **item,
            )
        )
    return kpis


def _plain(value: Any) -> Any:
    """ruamel's commented lists and scalars as plain Python values."""
    return [str(item) for item in value] if isinstance(value, list) else value


def _combine(own: Condition | None, extra: Condition | None) -> Condition | None:
    """A fragment's include condition and a task's own, joined with `and`."""
    if extra is None or own is None:
        return own or extra
    return parse_condition(f"({extra.text}) and ({own.text})")
