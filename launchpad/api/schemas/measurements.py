"""Measurements pushed by scripts and data pipelines."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

METRIC = validate.Regexp(r"^[a-z][a-z0-9_.]{0,99}$", error="use a metric name like signups")


class MeasurementInSchema(Schema):
    metric = fields.String(required=True, validate=METRIC)
    value = fields.Float(required=True, allow_nan=False)
    observed_at = fields.AwareDateTime(
        load_default=None, allow_none=True, metadata={"description": "default: when it arrives"}
    )


class MeasurementBatchSchema(Schema):
    items = fields.List(
        fields.Nested(MeasurementInSchema), required=True, validate=validate.Length(min=1, max=1000)
    )


class MeasurementSchema(Schema):
    id = fields.Integer(required=True)
    launch_id = fields.Integer(required=True)
    metric = fields.String(required=True)
    value = fields.Float(required=True)
    observed_at = fields.DateTime(required=True)
    received_at = fields.DateTime(required=True)
    source = fields.String(required=True)
    replayed = fields.Boolean(required=True, metadata={"description": "an Idempotency-Key replay"})


class MeasurementBatchResultSchema(Schema):
    items = fields.List(fields.Nested(MeasurementSchema), required=True)


class MeasurementQuerySchema(Schema):
    metric = fields.String(validate=METRIC)
