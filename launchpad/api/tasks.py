"""`/api/v1/tasks`: tasks across launches, with filters, and task updates."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask.views import MethodView

from launchpad.api.authentication import current_user
from launchpad.api.core import api_blueprint, document_errors, if_match
from launchpad.api.pagination import PageArgs, page_schema, paginate
from launchpad.api.preconditions import etag, not_modified, require_if_match
from launchpad.api.schemas.tasks import (
    TaskQuerySchema,
    TaskSchema,
    TaskUpdateResultSchema,
    TaskUpdateSchema,
)
from launchpad.api.serializers import task_body
from launchpad.auth.permissions import require
from launchpad.extensions import get_session
from launchpad.models import Task
from launchpad.services.errors import NotFound
from launchpad.services.listings import TaskFilter, task_context, tasks_statement
from launchpad.services.people import user_by_email
from launchpad.services.task_changes import pin_due_date, set_status, unpin_due_date
from launchpad.services.task_details import set_assignee, set_notes

bp = api_blueprint("tasks", "/tasks", "Checklist tasks of every launch.")
TaskPage = page_schema(TaskSchema, "TaskPage")


class TaskListArgs(PageArgs, TaskQuerySchema):
    """Page and filters together, so unknown query parameters are refused."""


def _task(task_id: int) -> Task:
    task = get_session().get(Task, task_id)
    if task is None:
        raise NotFound("task", task_id)
    return task


@bp.route("")
class Tasks(MethodView):
    @bp.arguments(TaskListArgs, location="query")
    @bp.response(200, TaskPage)
    @document_errors(bp)
    def get(self, args: dict[str, Any]) -> Any:
        """Tasks by due date; filter by launch, team, assignee, status, phase, due window."""
        require("launch.view", current_user())
        wanted = TaskFilter(
            args.get("launch"),
            args.get("team"),
            args.get("assignee"),
            args.get("status"),
            args.get("phase"),
            args.get("due_from"),
            args.get("due_to"),
        )
        session = get_session()
        page = paginate(session, tasks_statement(wanted), args)
        context = task_context(session, page.items)
        body = page.body()
        body["items"] = [task_body(task, context) for task in page.items]
        return body, 200, {"Link": page.link_header()}


@bp.route("/<id:task_id>")
class TaskDetail(MethodView):
    @bp.response(200, TaskSchema)
    @bp.alt_response(304, description="Not modified")
    @document_errors(bp)
    def get(self, task_id: int) -> Any:
        """One task."""
        require("launch.view", current_user())
        task = _task(task_id)
        headers = {"ETag": etag("task", task.id, task.version)}
        if not_modified(etag("task", task.id, task.version)):
            return "", 304, headers
        return task_body(task, task_context(get_session(), [task])), 200, headers

    @bp.arguments(TaskUpdateSchema)
    @bp.response(200, TaskUpdateResultSchema)
    @document_errors(bp, 409, 412, 422, 428)
    @if_match(bp)
    def patch(self, data: dict[str, Any], task_id: int) -> Any:
        """Change status, assignee, a pinned due date (null unpins) or notes; needs If-Match."""
        user = current_user()
        session = get_session()
        task = _task(task_id)
        require("task.update", user, task)
        seen = require_if_match("task", task.id, task.version)
        now = datetime.now(UTC)
        warnings = _apply(session, task, data, seen, user, now)
        session.commit()
        body = task_body(task, task_context(session, [task]))
        return (
            {**body, "warnings": list(warnings)},
            200,
            {"ETag": etag("task", task.id, task.version)},
        )


def _apply(
    session: Any, task: Task, data: dict[str, Any], seen: int, user: Any, now: datetime
) -> tuple[str, ...]:
    """Each change in turn; the first one checks the version the caller saw."""
    warnings: tuple[str, ...] = ()
    expected: int | None = seen
    if "status" in data:
        warnings = set_status(
            session, task.id, data["status"], actor=user, now=now, expected_version=expected
        ).warnings
        expected = None
    if "assignee" in data:
        assignee = user_by_email(session, data["assignee"]) if data["assignee"] else None
        set_assignee(session, task.id, assignee, actor=user, now=now, expected_version=expected)
        expected = None
    if "due_date" in data:
        if data["due_date"] is None:
            unpin_due_date(session, task.id, actor=user, now=now)
        else:
            pin_due_date(
                session,
                task.id,
                data["due_date"],
                due_time=data.get("due_time"),
                actor=user,
                now=now,
                expected_version=expected,
            )
        expected = None
    if "notes" in data:
        set_notes(session, task.id, data["notes"], actor=user, now=now, expected_version=expected)
    return warnings
