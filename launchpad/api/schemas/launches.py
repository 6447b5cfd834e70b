"""Launches: create, read, update, reschedule."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from launchpad.api.schemas.templates import PARAM_VALUE

LAUNCH_STATUSES = ["draft", "scheduled", "launched", "closed", "cancelled"]


class TemplateRefSchema(Schema):
    key = fields.String(required=True)
    version = fields.Integer(required=True)
    content_hash = fields.String(required=True)


class LaunchSchema(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    template = fields.Nested(TemplateRefSchema, required=True)
    launch_date = fields.Date(required=True)
    launch_time = fields.Time(allow_none=True)
    timezone = fields.String(required=True)
    holidays = fields.String(allow_none=True)
    parameters = fields.Dict(keys=fields.String(), values=fields.Raw(), required=True)
    status = fields.String(required=True, validate=validate.OneOf(LAUNCH_STATUSES))
    version = fields.Integer(required=True)
    created_at = fields.DateTime(required=True)
    updated_at = fields.DateTime(required=True)


class ScoreSchema(Schema):
    total = fields.Integer(required=True)
    done = fields.Integer(required=True)
    skipped = fields.Integer(required=True)
    overdue = fields.Integer(required=True)
    at_risk = fields.Integer(required=True)
    percent = fields.Integer(required=True)


class ReadinessSchema(Schema):
    overall = fields.Nested(ScoreSchema, required=True)
    phases = fields.Dict(keys=fields.String(), values=fields.Nested(ScoreSchema), required=True)
    teams = fields.Dict(keys=fields.String(), values=fields.Nested(ScoreSchema), required=True)
    go = fields.Boolean(required=True)
    no_go_reasons = fields.List(fields.String(), required=True)
    critical_path = fields.List(fields.String(), required=True)


class LaunchDetailSchema(LaunchSchema):
    readiness = fields.Nested(ReadinessSchema, required=True)


class LaunchCreateSchema(Schema):
    template = fields.String(required=True, validate=validate.Length(min=1, max=100))
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    launch_date = fields.Date(required=True)
    launch_time = fields.Time(allow_none=True, load_default=None)
    timezone = fields.String(load_default="UTC", validate=validate.Length(min=1, max=64))
    holidays = fields.String(allow_none=True, load_default=None, validate=validate.Length(max=20))
    parameters = fields.Dict(keys=fields.String(), values=PARAM_VALUE, load_default=dict)
    assignments = fields.Dict(
        keys=fields.String(),
        values=fields.Email(),
        load_default=dict,
        metadata={"description": "role -> email of the person who plays it"},
    )


class LaunchUpdateSchema(Schema):
    name = fields.String(validate=validate.Length(min=1, max=200))
    status = fields.String(validate=validate.OneOf(LAUNCH_STATUSES))


class LaunchQuerySchema(Schema):
    status = fields.String(validate=validate.OneOf(LAUNCH_STATUSES))
    team = fields.String(validate=validate.Length(max=64))
    date_from = fields.Date(data_key="from")
    date_to = fields.Date(data_key="to")


class RescheduleRequestSchema(Schema):
    launch_date = fields.Date(required=True)


class DryRunSchema(Schema):
    dry_run = fields.Boolean(load_default=False)


class MoveSchema(Schema):
    key = fields.String(required=True)
    title = fields.String(required=True)
    old_due = fields.Date(required=True)
    new_due = fields.Date(required=True)


class ViolationSchema(Schema):
    task = fields.String(required=True)
    dependency = fields.String(required=True)
    task_due = fields.Date(required=True)
    dependency_due = fields.Date(required=True)


class RescheduleResultSchema(Schema):
    applied = fields.Boolean(required=True)
    old_launch_date = fields.Date(required=True)
    new_launch_date = fields.Date(required=True)
    moves = fields.List(fields.Nested(MoveSchema), required=True)
    kept_pinned = fields.List(fields.String(), required=True)
    kept_settled = fields.List(fields.String(), required=True)
    violations = fields.List(fields.Nested(ViolationSchema), required=True)
