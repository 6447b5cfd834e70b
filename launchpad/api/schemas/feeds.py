"""Calendar feed subscriptions."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from launchpad.models.tasks import PHASE_NAMES


class FeedSchema(Schema):
    id = fields.Integer(required=True)
    label = fields.String(required=True)
    title = fields.String(allow_none=True, metadata={"description": "null: no longer visible"})
    scope_kind = fields.String(required=True, validate=validate.OneOf(["person", "team", "launch"]))
    phase = fields.String(allow_none=True)
    created_at = fields.DateTime(required=True)
    last_used_at = fields.DateTime(allow_none=True)
    last_client = fields.String(allow_none=True)
    revoked_at = fields.DateTime(allow_none=True)


class FeedCreateSchema(Schema):
    scope = fields.String(
        required=True,
        validate=validate.Regexp(
            r"^(person|team:[a-z0-9][a-z0-9_-]{0,63}|launch:[1-9][0-9]{0,8})$",
            error="write person, team:KEY or launch:ID",
        ),
        metadata={"description": "person, team:KEY or launch:ID"},
    )
    phase = fields.String(allow_none=True, load_default=None, validate=validate.OneOf(PHASE_NAMES))
    label = fields.String(load_default="", validate=validate.Length(max=100))


class IssuedFeedSchema(Schema):
    id = fields.Integer(required=True)
    scope = fields.String(required=True)
    phase = fields.String(allow_none=True)
    label = fields.String(required=True)
    url = fields.String(required=True, metadata={"description": "shown once, never again"})
    webcal = fields.String(required=True)
    google = fields.String(required=True, metadata={"description": "Google Calendar add-by-URL"})
