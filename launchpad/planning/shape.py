"""Marshmallow schemas for the shape of template and fragment files.

They turn raw YAML into typed values (offsets, conditions, KPI checks) and report every
shape problem at once; `locate` maps their error paths back to YAML lines.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from marshmallow import Schema, ValidationError, fields, validate

from launchpad.planning.conditions import Condition, ConditionError, parse_condition
from launchpad.planning.errors import hinted
from launchpad.planning.kpi_expressions import (
    CHECK_HINT,
    KpiCheck,
    KpiExpressionError,
    parse_kpi_check,
)
from launchpad.planning.offsets import (
    DURATION_HINT,
    OFFSET_HINT,
    Duration,
    Offset,
    OffsetError,
    Roll,
    parse_duration,
    parse_offset,
)

KEY = validate.Regexp(
    r"^[a-z0-9][a-z0-9_-]*$",
    error="'{input}' is not a key: use lowercase letters, digits, - and _",
)
NAME = validate.Regexp(
    r"^[a-z][a-z0-9_]*$",
    error="'{input}' is not a name: use lowercase letters, digits and _",
)
CONDITION_HINT = 'e.g. tier == "tier1" and not paid_media, or "emea" in regions'


class OffsetField(fields.Field[Offset]):
    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Offset:
        try:
            return parse_offset(value)
        except OffsetError as error:
            raise ValidationError(hinted(str(error), OFFSET_HINT)) from error


class DurationField(fields.Field[Duration]):
    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Duration:
        try:
            return parse_duration(value)
        except OffsetError as error:
            raise ValidationError(hinted(str(error), DURATION_HINT)) from error


class ConditionField(fields.Field[Condition]):
    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Condition:
        if not isinstance(value, str):
            raise ValidationError(hinted("a condition must be text", CONDITION_HINT))
        try:
            return parse_condition(value)
        except ConditionError as error:
            raise ValidationError(
                hinted(f"bad condition '{value}': {error}", CONDITION_HINT)
            ) from error


class KpiCheckField(fields.Field[KpiCheck]):
    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> KpiCheck:
        try:
            return parse_kpi_check(value)
        except KpiExpressionError as error:
            raise ValidationError(hinted(str(error), CHECK_HINT)) from error


class IncludeField(fields.Field[dict[str, Any]]):
    """`- fragments/x.yaml` or `- {file: fragments/x.yaml, when: ...}`."""

    def _deserialize(
        self, value: Any, attr: str | None, data: Any, **kwargs: Any
    ) -> dict[str, Any]:
        if isinstance(value, str):
            return {"file": value, "when": None}
        loaded: dict[str, Any] = IncludeSchema().load(value)
        return loaded


def _text(**kwargs: Any) -> fields.String:
    return fields.String(**kwargs)


class StrictBoolean(fields.Boolean):
    """Only `true` and `false`: 0, 1, "yes" are refused (1 == True would slip through)."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> bool:
        if isinstance(value, bool):
            return value
        raise self.make_error("invalid", input=value)


def _flag() -> fields.Boolean:
    return StrictBoolean(load_default=False)


class IncludeSchema(Schema):
    file = _text(required=True)
    when = ConditionField(load_default=None)


class ParameterSchema(Schema):
    type = _text(required=True, validate=validate.OneOf(["choice", "bool", "list", "text"]))
    label = _text(load_default="")
    choices = fields.List(fields.String(), load_default=list)
    default = fields.Raw(required=True, allow_none=False)


class CalendarSchema(Schema):
    workdays = fields.List(
        fields.String(), load_default=lambda: ["mon", "tue", "wed", "thu", "fri"]
    )
    holidays = _text(load_default=None, allow_none=True)


class TaskSchema(Schema):
    key = _text(required=True, validate=KEY)
    title = _text(required=True, validate=validate.Length(min=1, max=200))
    description = _text(load_default="")
    owner = _text(required=True)
    due = OffsetField(required=True)
    start = OffsetField(load_default=None)
    duration = DurationField(load_default=None)
    depends_on = fields.List(fields.String(), load_default=list)
    gate = _flag()
    milestone = _flag()
    when = ConditionField(load_default=None)
    roll = fields.Enum(Roll, by_value=True, load_default=None)


class KpiSchema(Schema):
    key = _text(required=True, validate=KEY)
    name = _text(load_default="")
    check = KpiCheckField(required=True)
    at = OffsetField(load_default=None)
    every = DurationField(load_default=None)
    start = OffsetField(data_key="from", load_default=None)
    until = OffsetField(load_default=None)
    owner = _text(load_default=None)
    unit = _text(load_default="")
    when = ConditionField(load_default=None)


def _tasks(phase: str) -> fields.List[Any]:
    return fields.List(fields.Nested(TaskSchema), data_key=phase, load_default=list)


class PhasesSchema(Schema):
    pre_launch = _tasks("pre-launch")
    launch = _tasks("launch")
    post_launch = _tasks("post-launch")


class _Common(Schema):
    description = _text(load_default="")
    roles = fields.Dict(
        keys=fields.String(validate=NAME), values=fields.String(), load_default=dict
    )
    teams = fields.List(fields.String(validate=KEY), load_default=list)
    phases = fields.Nested(PhasesSchema, load_default=dict)
    kpis = fields.List(fields.Nested(KpiSchema), load_default=list)


class TemplateSchema(_Common):
    key = _text(required=True, validate=KEY)
    name = _text(required=True, validate=validate.Length(min=1, max=200))
    version = fields.Integer(required=True, strict=True, validate=validate.Range(min=1))
    parameters = fields.Dict(
        keys=fields.String(validate=NAME),
        values=fields.Nested(ParameterSchema),
        load_default=dict,
    )
    calendar = fields.Nested(CalendarSchema, load_default=None)
    include = fields.List(IncludeField(), load_default=list)


class FragmentSchema(_Common):
    fragment = _text(required=True, validate=KEY)


def allowed_keys(schema: Schema, path: list[Any]) -> list[str]:
    """The keys a mapping at `path` may hold, for "unknown field" hints."""
    current: Schema | None = schema
    for part in path:
        if current is None:
            return []
        field = next((f for f in current.fields.values() if f.data_key == part), None)
        field = field or current.fields.get(str(part))
        if field is None:
            continue
        current = _inner_schema(field)
    if current is None:
        return []
    return sorted(f.data_key or name for name, f in current.fields.items())


def _inner_schema(field: fields.Field[Any]) -> Schema | None:
    if isinstance(field, fields.List):
        return _inner_schema(field.inner)
    if isinstance(field, fields.Dict) and field.value_field is not None:
        return _inner_schema(field.value_field)
    if isinstance(field, fields.Nested):
        nested = field.schema
        return nested if isinstance(nested, Schema) else None
    return None


def flatten_messages(
    messages: Mapping[Any, Any] | list[Any], path: tuple[Any, ...] = ()
) -> list[tuple[tuple[Any, ...], str]]:
    """Marshmallow's nested error dict as (path, message) pairs."""
    if isinstance(messages, list):
        return [(path, str(message)) for message in messages]
    pairs: list[tuple[tuple[Any, ...], str]] = []
    for key, value in messages.items():
        if isinstance(value, Mapping | list):
            pairs.extend(flatten_messages(value, (*path, key)))
        else:
            pairs.append(((*path, key), str(value)))
    return pairs
