"""KPI targets of a launch."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from launchpad.services.kpi_targets import POLICY_LIMITS

OFFSET = validate.Regexp(
    r"^[+-]?[0-9]{1,4}(bd|d|w)( [0-9]{1,2}:[0-9]{2})?$",
    error="write an offset like +7d or +1bd 09:00",
)
DURATION = validate.Regexp(r"^[0-9]{1,4}(h|d|w)$", error="write an interval like 1d or 12h")


def _policy_range(name: str) -> validate.Range:
    low, high = POLICY_LIMITS[name]
    return validate.Range(min=low, max=high)


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
    max_age_seconds = fields.Integer(allow_none=True)
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
    pending_evals = fields.Integer(validate=_policy_range("pending_evals"))
    keep_firing_evals = fields.Integer(validate=_policy_range("keep_firing_evals"))
    grace_seconds = fields.Integer(validate=_policy_range("grace_seconds"))
    repeat_interval_seconds = fields.Integer(
        allow_none=True, validate=_policy_range("repeat_interval_seconds")
    )
    max_age_seconds = fields.Integer(
        allow_none=True,
        validate=_policy_range("max_age_seconds"),
        metadata={"description": "older values count as no data; null: any age"},
    )


class KpiTargetCreateSchema(KpiTargetChangeSchema):
    key = fields.String(required=True, validate=validate.Length(min=1, max=100))
    check = fields.String(
        required=True,
        validate=validate.Length(min=3, max=200),
        metadata={"description": "metric comparator number, e.g. signups >= 500"},
    )
