"""Teams, people and audit events."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from launchpad.planning.shape import StrictBoolean

ROLES = ["admin", "pm", "member", "viewer"]


class MemberSchema(Schema):
    person_id = fields.Integer(required=True)
    email = fields.Email(required=True)
    lead = fields.Boolean(required=True)


class TeamSchema(Schema):
    key = fields.String(required=True)
    name = fields.String(required=True)
    members = fields.List(fields.Nested(MemberSchema), required=True)


class TeamCreateSchema(Schema):
    key = fields.String(required=True, validate=validate.Regexp(r"^[a-z0-9][a-z0-9_-]{0,63}$"))
    name = fields.String(validate=validate.Length(min=1, max=200))


class MembershipSchema(Schema):
    email = fields.Email(required=True)
    lead = StrictBoolean(load_default=False)


class PersonSchema(Schema):
    id = fields.Integer(required=True)
    email = fields.Email(required=True)
    name = fields.String(required=True)
    role = fields.String(required=True, validate=validate.OneOf(ROLES))
    active = fields.Boolean(required=True)
    timezone = fields.String(required=True)
    teams = fields.List(fields.String(), required=True)


class PersonCreateSchema(Schema):
    email = fields.Email(required=True)
    name = fields.String(validate=validate.Length(min=1, max=200))
    role = fields.String(required=True, validate=validate.OneOf(ROLES))
    password = fields.String(load_only=True, validate=validate.Length(min=10, max=200))
    timezone = fields.String(load_default="UTC", validate=validate.Length(min=1, max=64))


class AuditEventSchema(Schema):
    id = fields.Integer(required=True)
    launch_id = fields.Integer(allow_none=True)
    actor_id = fields.Integer(allow_none=True)
    action = fields.String(required=True)
    entity = fields.String(required=True)
    entity_id = fields.Integer(allow_none=True)
    before = fields.Dict(allow_none=True)
    after = fields.Dict(allow_none=True)
    at = fields.DateTime(required=True)
