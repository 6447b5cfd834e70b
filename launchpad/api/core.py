"""The flask-smorest Api, its problem-details error contract, and the blueprint factory."""

from __future__ import annotations

import http
from typing import Any

from flask_smorest import Api, Blueprint
from marshmallow import Schema, fields
from webargs.flaskparser import FlaskParser
from werkzeug.exceptions import HTTPException, default_exceptions

from launchpad.api.authentication import authenticate_request, refuse_nul_characters
from launchpad.api.fallback import exact_allow_header
from launchpad.api.problems import from_http_exception, from_service_error
from launchpad.services.errors import ServiceError

PROBLEM_CONTENT_TYPE = "application/problem+json"
ERRORS_DOCUMENTED = (400, 401, 403, 404, 429)


class ProblemSchema(Schema):
    """RFC 9457 problem details; `errors` maps locations and fields to messages."""

    type = fields.String(required=True)
    title = fields.String(required=True)
    status = fields.Integer(required=True)
    detail = fields.String(required=True)
    errors = fields.Dict(keys=fields.String(), values=fields.Raw())
    current_version = fields.Integer()
    changes = fields.List(fields.Dict())


class LaunchpadApi(Api):
    """An Api whose errors are problem documents, scoped to the API blueprints only."""

    ERROR_SCHEMA = ProblemSchema

    def _register_error_handlers(self) -> None:
        """No app-wide handler: the web UI keeps its own HTML error pages."""

    def _register_responses(self) -> None:
        from flask_smorest.utils import prepare_response

        for status in http.HTTPStatus:
            response: dict[str, Any] = {"description": status.phrase}
            if not 100 <= status < 200 and status not in (204, 304):
                response["schema"] = self.ERROR_SCHEMA
            content_type = PROBLEM_CONTENT_TYPE if status >= 400 else "application/json"
            prepare_response(response, self.spec, content_type)
            self.spec.components.response(status.name, response, lazy=True)
        default = {"description": "Default error response", "schema": self.ERROR_SCHEMA}
        prepare_response(default, self.spec, PROBLEM_CONTENT_TYPE)
        self.spec.components.response("DEFAULT_ERROR", default, lazy=True)


class StrictParser(FlaskParser):
    """Query parameters a schema does not know are errors, as unknown JSON fields are."""

    DEFAULT_UNKNOWN_BY_LOCATION = {  # noqa: RUF012
        **FlaskParser.DEFAULT_UNKNOWN_BY_LOCATION,
        "query": None,
        "querystring": None,
    }


class ApiBlueprint(Blueprint):
    ARGUMENTS_PARSER = StrictParser()


def api_blueprint(name: str, url_prefix: str, description: str) -> Blueprint:
    """A blueprint that authenticates every request and answers errors as problems."""
    blueprint = ApiBlueprint(
        name, __name__, url_prefix=f"/api/v1{url_prefix}", description=description
    )
    blueprint.before_request(refuse_nul_characters)
    blueprint.before_request(authenticate_request)
    blueprint.after_request(exact_allow_header)
    # Per status code: Flask prefers any code-specific handler (such as the web UI's HTML
    # pages) over a class-based one, so the API registers its own for every code.
    for code in default_exceptions:
        blueprint.register_error_handler(code, from_http_exception)
    blueprint.register_error_handler(HTTPException, from_http_exception)
    blueprint.register_error_handler(ServiceError, from_service_error)
    return blueprint


IF_MATCH = {
    "in": "header",
    "name": "If-Match",
    "required": True,
    "description": "The ETag you read; a write against a stale ETag gets 412",
    "schema": {"type": "string"},
}


def if_match(blueprint: Blueprint, *, required: bool = True) -> Any:
    """Decorator documenting the If-Match header of a write."""
    return blueprint.doc(parameters=[{**IF_MATCH, "required": required}])


def document_errors(blueprint: Blueprint, *statuses: int) -> Any:
    """Decorator documenting the usual error responses of an operation."""

    def decorate(view: Any) -> Any:
        for status in (*ERRORS_DOCUMENTED, *statuses):
            view = blueprint.alt_response(status, response=http.HTTPStatus(status).name)(view)
        return view

    return decorate
