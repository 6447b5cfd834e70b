"""Personal access tokens."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from launchpad.planning.shape import StrictBoolean


class TokenSchema(Schema):
    id = fields.Integer(required=True)
    label = fields.String(required=True)
    prefix = fields.String(
        required=True, metadata={"description": "first characters, to tell tokens apart"}
    )
    read_only = fields.Boolean(required=True)
    created_at = fields.DateTime(required=True)
    expires_at = fields.DateTime(allow_none=True)
    last_used_at = fields.DateTime(allow_none=True)
    revoked_at = fields.DateTime(allow_none=True)


class TokenCreateSchema(Schema):
    label = fields.String(load_default="API token", validate=validate.Length(max=100))
    read_only = StrictBoolean(load_default=False)
    expires_days = fields.Integer(
        allow_none=True, load_default=None, validate=validate.Range(min=1, max=3650)
    )


class IssuedTokenSchema(TokenSchema):
    token = fields.String(required=True, metadata={"description": "shown once, never again"})
