"""`/api/v1/launches`: list, create, read, update, reschedule and cancel launches."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask.views import MethodView

from launchpad.api.authentication import current_user
from launchpad.api.core import api_blueprint, document_errors, if_match
from launchpad.api.pagination import PageArgs, page_schema, paginate
from launchpad.api.preconditions import content_etag, etag, not_modified, require_if_match
from launchpad.api.schemas.launches import (
    DryRunSchema,
    LaunchCreateSchema,
    LaunchDetailSchema,
    LaunchQuerySchema,
    LaunchSchema,
    LaunchUpdateSchema,
    RescheduleRequestSchema,
    RescheduleResultSchema,
)
from launchpad.api.serializers import launch_body, launch_detail_body, reschedule_body
from launchpad.auth.permissions import require
from launchpad.extensions import get_session, get_state
from launchpad.models import Launch
from launchpad.services.launch_access import get_launch
from launchpad.services.launch_details import rename_launch
from launchpad.services.launch_planning import NewLaunch, create_launch
from launchpad.services.launch_status import set_launch_status
from launchpad.services.listings import LaunchFilter, launches_statement
from launchpad.services.rescheduling import reschedule_launch

bp = api_blueprint("launches", "/launches", "Launches made from launch templates.")
LaunchPage = page_schema(LaunchSchema, "LaunchPage")


class LaunchListArgs(PageArgs, LaunchQuerySchema):
    """Page and filters together, so unknown query parameters are refused."""


def _now() -> datetime:
    return datetime.now(UTC)


def _with_etag(body: dict[str, Any], launch: Launch, status: int = 200) -> Any:
    return body, status, {"ETag": etag("launch", launch.id, launch.version)}


@bp.route("")
class Launches(MethodView):
    @bp.arguments(LaunchListArgs, location="query")
    @bp.response(200, LaunchPage)
    @document_errors(bp)
    def get(self, args: dict[str, Any]) -> Any:
        """Launches, soonest launch day first; filter by status, team and launch dates."""
        require("launch.view", current_user())
        wanted = LaunchFilter(
            args.get("status"), args.get("team"), args.get("date_from"), args.get("date_to")
        )
        session = get_session()
        page = paginate(session, launches_statement(wanted), args)
        body = page.body()
        body["items"] = [launch_body(launch) for launch in page.items]
        return body, 200, {"Link": page.link_header()}

    @bp.arguments(LaunchCreateSchema)
    @bp.response(201, LaunchSchema)
    @document_errors(bp, 422)
    def post(self, data: dict[str, Any]) -> Any:
        """Create a launch from a launch template (its plan is expanded at once)."""
        user = current_user()
        require("launch.create", user)
        session = get_session()
        request = NewLaunch(
            data["template"],
            data["name"],
            data["launch_date"],
            data["timezone"],
            data["launch_time"],
            data["holidays"],
            data["parameters"],
            data["assignments"],
        )
        launch = create_launch(
            session, get_state().settings.templates_dir, request, actor=user, now=_now()
        )
        session.commit()
        body, status, headers = _with_etag(launch_body(launch), launch, 201)
        headers["Location"] = f"/api/v1/launches/{launch.id}"
        return body, status, headers


@bp.route("/<id:launch_id>")
class LaunchDetail(MethodView):
    @bp.response(200, LaunchDetailSchema)
    @bp.alt_response(304, description="Not modified")
    @document_errors(bp)
    def get(self, launch_id: int) -> Any:
        """One launch with readiness, go / no-go and the critical path."""
        require("launch.view", current_user())
        launch = get_launch(get_session(), launch_id)
        body = launch_detail_body(get_session(), launch, _now().date())
        # Readiness follows the tasks and the date, not the launch's version: tag both.
        tag = content_etag("launch", launch.id, launch.version, body["readiness"])
        if not_modified(tag):
            return "", 304, {"ETag": tag}
        return body, 200, {"ETag": tag}

    @bp.arguments(LaunchUpdateSchema)
    @bp.response(200, LaunchSchema)
    @document_errors(bp, 409, 412, 422, 428)
    @if_match(bp)
    def patch(self, data: dict[str, Any], launch_id: int) -> Any:
        """Rename a launch or move it along its lifecycle (needs If-Match)."""
        user = current_user()
        session = get_session()
        launch = get_launch(session, launch_id)
        require("launch.edit", user, launch)
        seen = require_if_match("launch", launch.id, launch.version)
        if "name" in data:
            rename_launch(
                session, launch.id, data["name"], expected_version=seen, actor=user, now=_now()
            )
            seen = launch.version
        if "status" in data and data["status"] != launch.status:
            set_launch_status(
                session, launch.id, data["status"], expected_version=seen, actor=user, now=_now()
            )
        session.commit()
        return _with_etag(launch_body(launch), launch)


@bp.route("/<id:launch_id>/reschedule")
class LaunchReschedule(MethodView):
    @bp.arguments(DryRunSchema, location="query")
    @bp.arguments(RescheduleRequestSchema)
    @bp.response(200, RescheduleResultSchema)
    @document_errors(bp, 409, 412, 422, 428)
    @if_match(bp, required=False)
    def post(self, query: dict[str, Any], data: dict[str, Any], launch_id: int) -> Any:
        """Move launch day; `?dry_run=true` previews every move without saving."""
        user = current_user()
        session = get_session()
        launch = get_launch(session, launch_id)
        require("launch.edit", user, launch)
        dry_run = query["dry_run"]
        seen = None if dry_run else require_if_match("launch", launch.id, launch.version)
        plan = reschedule_launch(
            session,
            launch.id,
            data["launch_date"],
            expected_version=seen,
            actor=user,
            now=_now(),
            apply=not dry_run,
        )
        session.commit()
        launch = get_launch(session, launch_id)
        return _with_etag(reschedule_body(plan, applied=not dry_run), launch)


@bp.route("/<id:launch_id>/cancel")
class LaunchCancel(MethodView):
    @bp.response(200, LaunchSchema)
    @document_errors(bp, 409, 412, 422, 428)
    @if_match(bp)
    def post(self, launch_id: int) -> Any:
        """Cancel a launch (needs If-Match); a cancelled launch no longer changes."""
        user = current_user()
        session = get_session()
        launch = get_launch(session, launch_id)
        require("launch.edit", user, launch)
        seen = require_if_match("launch", launch.id, launch.version)
        set_launch_status(
            session, launch.id, "cancelled", expected_version=seen, actor=user, now=_now()
        )
        session.commit()
        return _with_etag(launch_body(launch), launch)
