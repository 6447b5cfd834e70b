"""Launch parameters: the values a PM picks, checked against the template's declarations."""

from __future__ import annotations

from collections.abc import Mapping

from launchpad.planning.conditions import ParamValue
from launchpad.planning.spec import ParameterSpec, TemplateSpec

_TRUE = {"true", "yes", "on", "1"}
_FALSE = {"false", "no", "off", "0"}


class ParameterError(ValueError):
    """Parameters that the template does not declare or whose values it does not allow."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("; ".join(problems))


def resolve_parameters(spec: TemplateSpec, given: Mapping[str, object]) -> dict[str, ParamValue]:
    """Defaults overlaid with `given` (text from a CLI or typed JSON), all problems at once."""
    problems = [
        f"unknown parameter '{name}' (known: {', '.join(spec.parameters) or 'none'})"
        for name in given
        if name not in spec.parameters
    ]
    values = spec.default_parameters()
    for name, raw in given.items():
        param = spec.parameters.get(name)
        if param is None:
            continue
        try:
            values[name] = coerce(param, raw)
        except (TypeError, ValueError) as error:
            problems.append(f"parameter '{name}': {error}")
    if problems:
        raise ParameterError(problems)
    return values


def coerce(param: ParameterSpec, raw: object) -> ParamValue:
    """One value in the parameter's type; raises ValueError saying what is allowed."""
    if param.type == "bool":
        return _boolean(raw)
    if param.type == "list":
        items = _items(raw)
        _check_choices(param, items)
        return items
    if not isinstance(raw, str):
        raise TypeError(f"expected text, got {raw!r}")
    if param.type == "choice":
        _check_choices(param, [raw])
    return raw


def _boolean(raw: object) -> bool:
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, str) and raw.strip().lower() in _TRUE | _FALSE:
        return raw.strip().lower() in _TRUE
    raise TypeError(f"expected true or false, got {raw!r}")


def _items(raw: object) -> list[str]:
    if isinstance(raw, str):
        return [item.strip() for item in raw.split(",") if item.strip()]
    if isinstance(raw, list | tuple) and all(isinstance(item, str) for item in raw):
        return list(raw)
    raise TypeError(f"expected a list of text or 'a,b,c', got {raw!r}")


def _check_choices(param: ParameterSpec, values: list[str]) -> None:
    wrong = [value for value in values if param.choices and value not in param.choices]
    if wrong:
        raise ValueError(f"{wrong[0]!r} is not one of {', '.join(param.choices)}")
