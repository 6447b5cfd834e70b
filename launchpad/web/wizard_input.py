"""Reading the wizard's template-specific inputs: `param.<name>` and `role.<role>` fields.

Values are passed on as typed, so the template's own rules (parameters.coerce) judge them
and the page can show them back exactly as entered.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from werkzeug.datastructures import MultiDict

from launchpad.models import User
from launchpad.planning.spec import TemplateSpec


@dataclass(slots=True)
class ExtraInput:
    parameters: dict[str, object] = field(default_factory=dict)
    roles: dict[str, str] = field(default_factory=dict)  # role -> person id as text
    problems: dict[str, str] = field(default_factory=dict)

    def assignments(self, people: dict[str, User]) -> dict[str, str]:
        """role -> email for the roles given to someone (others fall back to the lead)."""
        return {role: people[pid].email for role, pid in self.roles.items() if pid in people}


def read_extra(
    spec: TemplateSpec, form: MultiDict[str, str], people: dict[str, User]
) -> ExtraInput:
    extra = ExtraInput()
    for name, param in spec.parameters.items():
        key = f"param.{name}"
        if param.type == "bool":
            extra.parameters[name] = form.get(key) == "true"
        elif param.type == "list":
            extra.parameters[name] = [_clean(v, 200) for v in form.getlist(key)[:100]]
        elif key in form:
            extra.parameters[name] = _clean(form.get(key, ""), 500)
    for role in spec.roles:
        chosen = _clean(form.get(f"role.{role}", ""), 20)
        extra.roles[role] = chosen
        if chosen and chosen not in people:
            extra.problems[f"role.{role}"] = "pick someone from the list"
    return extra


def defaults(spec: TemplateSpec) -> ExtraInput:
    return ExtraInput(
        parameters=dict(spec.default_parameters()), roles=dict.fromkeys(spec.roles, "")
    )


def _clean(value: str, limit: int) -> str:
    return value.replace("\x00", "")[:limit]
