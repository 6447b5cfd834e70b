"""`/api/v1/launches/<id>/events`: a launch's audit log, oldest first, paginated."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from sqlalchemy import select

from launchpad.api.authentication import current_user
from launchpad.api.core import api_blueprint, document_errors
from launchpad.api.pagination import PageArgs, page_schema, paginate
from launchpad.api.schemas.people import AuditEventSchema
from launchpad.auth.permissions import require
from launchpad.extensions import get_session
from launchpad.models import AuditEvent
from launchpad.services.launch_access import get_launch

bp = api_blueprint("audit", "/launches", "The append-only record of every change.")
EventPage = page_schema(AuditEventSchema, "AuditEventPage")


@bp.route("/<id:launch_id>/events")
class LaunchEvents(MethodView):
    @bp.arguments(PageArgs, location="query")
    @bp.response(200, EventPage)
    @document_errors(bp)
    def get(self, args: dict[str, int], launch_id: int) -> Any:
        """Every change to the launch and its tasks: who, what, before, after, when."""
        session = get_session()
        require("launch.view", current_user(), get_launch(session, launch_id))
        statement = (
            select(AuditEvent).where(AuditEvent.launch_id == launch_id).order_by(AuditEvent.id)
        )
        page = paginate(session, statement, args)
        return page.body(), 200, {"Link": page.link_header()}
