"""`/api/v1/templates`: the launch template library and plan previews."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView

from launchpad.api.core import api_blueprint, document_errors
from launchpad.api.pagination import PageArgs, page_schema, paginate_list
from launchpad.api.schemas.templates import (
    PlanSchema,
    PreviewRequestSchema,
    TemplateDetailSchema,
    TemplateSummarySchema,
)
from launchpad.extensions import get_state
from launchpad.planning.expansion import LaunchSettings, Plan
from launchpad.planning.spec import TemplateSpec
from launchpad.services.launch_planning import preview_plan
from launchpad.services.template_library import list_library, load_library_template

bp = api_blueprint("templates", "/templates", "Launch templates: browse and preview.")
TemplatePage = page_schema(TemplateSummarySchema, "TemplatePage")


@bp.route("")
class Templates(MethodView):
    @bp.arguments(PageArgs, location="query")
    @bp.response(200, TemplatePage)
    @document_errors(bp)
    def get(self, args: dict[str, int]) -> Any:
        """List the valid launch templates in the library."""
        specs = [e.spec for e in list_library(_directory()) if e.spec is not None]
        page = paginate_list([summary(spec) for spec in specs], args)
        return page.body(), 200, {"Link": page.link_header()}


@bp.route("/<key>")
class TemplateDetail(MethodView):
    @bp.response(200, TemplateDetailSchema)
    @document_errors(bp, 422)
    def get(self, key: str) -> dict[str, Any]:
        """One launch template with its tasks and KPI targets."""
        spec = load_library_template(_directory(), key)
        return {
            **summary(spec),
            "tasks": [_task(t, spec) for t in spec.tasks],
            "kpis": [_kpi(k) for k in spec.kpis],
        }


@bp.route("/<key>/preview")
class TemplatePreview(MethodView):
    @bp.arguments(PreviewRequestSchema)
    @bp.response(200, PlanSchema)
    @document_errors(bp)
    def post(self, request: dict[str, Any], key: str) -> dict[str, Any]:
        """The plan this template gives for a launch date; nothing is saved."""
        spec = load_library_template(_directory(), key)
        settings = LaunchSettings(
            request["launch_date"],
            request["timezone"],
            request["launch_time"],
            request["holidays"],
            request["parameters"],
        )
        return plan_body(preview_plan(spec, settings))


def _directory() -> Any:
    return get_state().settings.templates_dir


def summary(spec: TemplateSpec) -> dict[str, Any]:
    return {
        "key": spec.key,
        "name": spec.name,
        "version": spec.version,
        "description": spec.description,
        "task_count": len(spec.tasks),
        "kpi_count": len(spec.kpis),
        "roles": dict(spec.roles),
        "parameters": [
            {
                "name": p.name,
                "type": p.type,
                "label": p.label,
                "choices": list(p.choices),
                "default": p.default,
            }
            for p in spec.parameters.values()
        ],
    }


def _task(task: Any, spec: TemplateSpec) -> dict[str, Any]:
    return {
        "key": task.key,
        "title": task.title,
        "phase": task.phase,
        "owner": task.owner,
        "due": str(task.due),
        "depends_on": list(task.depends_on),
        "gate": task.gate,
        "milestone": task.milestone,
        "when": task.when.text if task.when else None,
    }


def _kpi(kpi: Any) -> dict[str, Any]:
    text = {
        name: str(value) if value is not None else None
        for name, value in (
            ("at", kpi.at),
            ("every", kpi.every),
            ("start", kpi.start),
            ("until", kpi.until),
        )
    }
    return {"key": kpi.key, "name": kpi.name or kpi.check, "check": kpi.check, **text}


def plan_body(plan: Plan) -> dict[str, Any]:
    return {
        "launch_date": plan.settings.launch_day,
        "timezone": plan.settings.timezone,
        "holidays": plan.holidays,
        "parameters": plan.parameters,
        "tasks": list(plan.tasks),
        "kpis": list(plan.kpis),
        "warnings": list(plan.warnings),
    }
