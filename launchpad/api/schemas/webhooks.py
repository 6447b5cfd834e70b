"""Outbound event webhooks and their delivery log."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from launchpad.planning.shape import StrictBoolean
from launchpad.services.launch_events import SUBSCRIBABLE

EVENT = fields.String(validate=validate.OneOf(SUBSCRIBABLE))
EVENTS = validate.Length(min=1, max=len(SUBSCRIBABLE))


class WebhookSchema(Schema):
    id = fields.Integer(required=True)
    url = fields.String(required=True)
    description = fields.String(required=True)
    events = fields.List(
        fields.String(),
        allow_none=True,
        required=True,
        metadata={"description": "null: an alert destination that hears KPI alerts only"},
    )
    launch_id = fields.Integer(allow_none=True, required=True)
    enabled = fields.Boolean(required=True)
    disabled_reason = fields.String(allow_none=True, required=True)
    allow_private = fields.Boolean(required=True)
    created_at = fields.DateTime(required=True)
    updated_at = fields.DateTime(required=True)


class WebhookCreateSchema(Schema):
    url = fields.String(required=True, validate=validate.Length(min=1, max=1000))
    events = fields.List(EVENT, required=True, validate=EVENTS)
    launch_id = fields.Integer(
        allow_none=True, load_default=None, validate=validate.Range(min=1, max=2**31 - 1)
    )
    description = fields.String(load_default="", validate=validate.Length(max=200))
    allow_private = StrictBoolean(
        load_default=False,
        metadata={"description": "allow private, loopback or link-local addresses"},
    )


class WebhookChangeSchema(Schema):
    events = fields.List(EVENT, validate=EVENTS)
    enabled = StrictBoolean()


class IssuedWebhookSchema(WebhookSchema):
    secret = fields.String(
        required=True, metadata={"description": "the whsec_ signing secret, shown once"}
    )


class DeliveryAttemptSchema(Schema):
    attempt = fields.Integer(required=True)
    started_at = fields.DateTime(required=True)
    finished_at = fields.DateTime(required=True)
    verdict = fields.String(required=True)
    status_code = fields.Integer(allow_none=True, required=True)
    error = fields.String(allow_none=True, required=True)


class DeliverySchema(Schema):
    id = fields.Integer(required=True)
    webhook_id = fields.String(
        required=True, metadata={"description": "the `webhook-id` header the receiver saw"}
    )
    event_type = fields.String(required=True)
    status = fields.String(required=True)
    attempts = fields.List(fields.Nested(DeliveryAttemptSchema), required=True)
    created_at = fields.DateTime(required=True)
    delivered_at = fields.DateTime(allow_none=True, required=True)
    next_attempt_at = fields.DateTime(required=True)
    last_status_code = fields.Integer(allow_none=True, required=True)
    last_error = fields.String(allow_none=True, required=True)
