"""Tasks: list with filters, read, update."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from launchpad.models.tasks import PHASE_NAMES, TASK_STATUSES


class TaskSchema(Schema):
    id = fields.Integer(required=True)
    launch_id = fields.Integer(required=True)
    key = fields.String(required=True)
    title = fields.String(required=True)
    description = fields.String(required=True)
    phase = fields.String(required=True, validate=validate.OneOf(PHASE_NAMES))
    team = fields.String(required=True)
    role = fields.String(allow_none=True)
    assignee = fields.Email(allow_none=True)
    status = fields.String(required=True, validate=validate.OneOf(TASK_STATUSES))
    due_date = fields.Date(required=True)
    due_time = fields.Time(allow_none=True)
    start_date = fields.Date(allow_none=True)
    due_offset = fields.String(required=True)
    pinned = fields.Boolean(required=True)
    gate = fields.Boolean(required=True)
    milestone = fields.Boolean(required=True)
    notes = fields.String(required=True)
    depends_on = fields.List(fields.Integer(), required=True)
    version = fields.Integer(required=True)
    updated_at = fields.DateTime(required=True)
    completed_at = fields.DateTime(allow_none=True)


class TaskQuerySchema(Schema):
    launch = fields.Integer(validate=validate.Range(min=1, max=999_999_999))
    team = fields.String(validate=validate.Length(max=64))
    assignee = fields.Email()
    status = fields.String(validate=validate.OneOf(TASK_STATUSES))
    phase = fields.String(validate=validate.OneOf(PHASE_NAMES))
    due_from = fields.Date()
    due_to = fields.Date()


class TaskUpdateSchema(Schema):
    status = fields.String(validate=validate.OneOf(TASK_STATUSES))
    assignee = fields.Email(allow_none=True)
    due_date = fields.Date(allow_none=True, metadata={"description": "pin; null unpins"})
    due_time = fields.Time(allow_none=True)
    notes = fields.String(validate=validate.Length(max=20_000))


class TaskUpdateResultSchema(TaskSchema):
    warnings = fields.List(fields.String(), required=True)
