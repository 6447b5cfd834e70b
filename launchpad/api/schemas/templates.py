"""Launch templates and plan previews."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

PARAM_VALUE = fields.Raw(
    metadata={
        "description": "text, true/false, or a list of text",
        "anyOf": [
            {"type": "string"},
            {"type": "boolean"},
            {"type": "array", "items": {"type": "string"}},
        ],
    }
)


class ParameterSchema(Schema):
    name = fields.String(required=True)
    type = fields.String(required=True, validate=validate.OneOf(["choice", "bool", "list", "text"]))
    label = fields.String(required=True)
    choices = fields.List(fields.String(), required=True)
    default = fields.Raw(required=True)


class TemplateTaskSchema(Schema):
    key = fields.String(required=True)
    title = fields.String(required=True)
    phase = fields.String(required=True)
    owner = fields.String(required=True)
    due = fields.String(required=True, metadata={"description": "offset, e.g. -10bd 17:00"})
    depends_on = fields.List(fields.String(), required=True)
    gate = fields.Boolean(required=True)
    milestone = fields.Boolean(required=True)
    when = fields.String(allow_none=True)


class KpiScheduleSchema(Schema):
    """When a KPI target is checked: once `at`, or `every` interval `from` ... `until`."""

    key = fields.String(required=True)
    name = fields.String(required=True)
    at = fields.String(allow_none=True)
    every = fields.String(allow_none=True)
    start = fields.String(data_key="from", allow_none=True)
    until = fields.String(allow_none=True)


class TemplateKpiSchema(KpiScheduleSchema):
    check = fields.String(required=True)


class TemplateSummarySchema(Schema):
    key = fields.String(required=True)
    name = fields.String(required=True)
    version = fields.Integer(required=True)
    description = fields.String(required=True)
    task_count = fields.Integer(required=True)
    kpi_count = fields.Integer(required=True)
    parameters = fields.List(fields.Nested(ParameterSchema), required=True)
    roles = fields.Dict(keys=fields.String(), values=fields.String(), required=True)


class TemplateDetailSchema(TemplateSummarySchema):
    tasks = fields.List(fields.Nested(TemplateTaskSchema), required=True)
    kpis = fields.List(fields.Nested(TemplateKpiSchema), required=True)


class PreviewRequestSchema(Schema):
    launch_date = fields.Date(required=True)
    launch_time = fields.Time(allow_none=True, load_default=None)
    timezone = fields.String(load_default="UTC", validate=validate.Length(min=1, max=64))
    holidays = fields.String(allow_none=True, load_default=None, validate=validate.Length(max=20))
    parameters = fields.Dict(keys=fields.String(), values=PARAM_VALUE, load_default=dict)


class PlannedTaskSchema(Schema):
    key = fields.String(required=True)
    title = fields.String(required=True)
    phase = fields.String(required=True)
    team = fields.String(required=True)
    role = fields.String(allow_none=True)
    due_offset = fields.String(required=True)
    due_date = fields.Date(required=True)
    due_time = fields.Time(allow_none=True)
    start_date = fields.Date(allow_none=True)
    depends_on = fields.List(fields.String(), required=True)
    gate = fields.Boolean(required=True)
    milestone = fields.Boolean(required=True)


class PlannedKpiSchema(KpiScheduleSchema):
    metric = fields.String(required=True)
    comparator = fields.String(required=True)
    threshold = fields.Float(required=True)


class PlanSchema(Schema):
    launch_date = fields.Date(required=True)
    timezone = fields.String(required=True)
    holidays = fields.String(allow_none=True)
    parameters = fields.Dict(keys=fields.String(), values=fields.Raw(), required=True)
    tasks = fields.List(fields.Nested(PlannedTaskSchema), required=True)
    kpis = fields.List(fields.Nested(PlannedKpiSchema), required=True)
    warnings = fields.List(fields.String(), required=True)
