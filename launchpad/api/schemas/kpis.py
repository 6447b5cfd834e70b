"""KPI targets of a launch."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

OFFSET = validate.Regexp(
    r"^[+-]?[0-9]{1,4}(bd|d|w)( [0-9]{1,2}:[0-9]{2})?$",
    error="write an offset like +7d or +1bd 09:00",
)
DURATION = validate.Regexp(r"^[0-9]{1,4}(h|d|w)$", error="write an interval like 1d or 12h")


class KpiTargetSchema(Schema):
    id = fields.Integer(required=True)
    launch_id = fields.Integer(required=True)
    key = fields.String(required=True)
    name = fields.String(required=True)
    check = fields.String(required=True)
    metric = fields.String(required=True)
    comparator = fields.String(required=True)
    threshold = fields.Float(required=True)
    at = fields.String(allow_none=True)
    every = fields.String(allow_none=True)
    start = fields.String(data_key="from", allow_none=True)
    until = fields.String(allow_none=True)
    owner = fields.String(allow_none=True)
    unit = fields.String(required=True)
    pending_evals = fields.Integer(required=True)
    keep_firing_evals = fields.Integer(required=True)
    grace_seconds = fields.Integer(required=True)
    repeat_interval_seconds = fields.Integer(allow_none=True)
    created_at = fields.DateTime(required=True)


class KpiTargetChangeSchema(Schema):
    """Every field optional: PATCH sends only what changes."""

    key = fields.String(validate=validate.Length(min=1, max=100))
    check = fields.String(
        validate=validate.Length(min=3, max=200),
        metadata={"description": "metric comparator number, e.g. signups >= 500"},
    )
    name = fields.String(validate=validate.Length(max=200))
    at = fields.String(allow_none=True, validate=OFFSET)
    every = fields.String(allow_none=True, validate=DURATION)
    start = fields.String(data_key="from", allow_none=True, validate=OFFSET)
    until = fields.String(allow_none=True, validate=OFFSET)
    owner = fields.String(allow_none=True, validate=validate.Length(max=64))
    unit = fields.String(validate=validate.Length(max=40))
    pending_evals = fields.Integer(validate=validate.Range(min=1, max=100))
    keep_firing_evals = fields.Integer(validate=validate.Range(min=1, max=100))
    grace_seconds = fields.Integer(validate=validate.Range(min=0, max=7 * 86400))
    repeat_interval_seconds = fields.Integer(
        allow_none=True, validate=validate.Range(min=60, max=30 * 86400)
    )


class KpiTargetCreateSchema(KpiTargetChangeSchema):
    key = fields.String(required=True, validate=validate.Length(min=1, max=100))
    check = fields.String(
        required=True,
        validate=validate.Length(min=3, max=200),
        metadata={"description": "metric comparator number, e.g. signups >= 500"},
    )
