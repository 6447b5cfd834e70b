"""KPI targets: `/api/v1/launches/<id>/kpis` and `/api/v1/kpis/<id>`."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask.views import MethodView
from sqlalchemy import select

from launchpad.api.authentication import current_user
from launchpad.api.core import api_blueprint, document_errors
from launchpad.api.pagination import PageArgs, page_schema, paginate
from launchpad.api.schemas.kpis import (
    KpiTargetChangeSchema,
    KpiTargetCreateSchema,
    KpiTargetSchema,
)
from launchpad.auth.permissions import require
from launchpad.extensions import get_session
from launchpad.models import KpiTarget
from launchpad.planning.kpi_expressions import KpiCheck
from launchpad.services.kpi_targets import (
    KpiTargetInput,
    create_target,
    delete_target,
    get_target,
    owner_key,
    update_target,
)
from launchpad.services.launch_access import get_launch

launch_kpis_bp = api_blueprint("launch_kpis", "/launches", "KPI targets of a launch.")
kpis_bp = api_blueprint("kpis", "/kpis", "One KPI target.")
KpiPage = page_schema(KpiTargetSchema, "KpiTargetPage")


def _body(target: KpiTarget) -> dict[str, Any]:
    return {
        "id": target.id,
        "launch_id": target.launch_id,
        "key": target.key,
        "name": target.name,
        "check": str(KpiCheck(target.metric, target.comparator, target.threshold)),
        "metric": target.metric,
        "comparator": target.comparator,
        "threshold": target.threshold,
        "at": target.at_offset,
        "every": target.every,
        "start": target.from_offset,
        "until": target.until_offset,
        "owner": owner_key(get_session(), target),
        "unit": target.unit,
        "pending_evals": target.pending_evals,
        "keep_firing_evals": target.keep_firing_evals,
        "grace_seconds": target.grace_seconds,
        "repeat_interval_seconds": target.repeat_interval_seconds,
        "max_age_seconds": target.max_age_seconds,
        "created_at": target.created_at,
    }


@launch_kpis_bp.route("/<id:launch_id>/kpis")
class LaunchKpis(MethodView):
    @launch_kpis_bp.arguments(PageArgs, location="query")
    @launch_kpis_bp.response(200, KpiPage)
    @document_errors(launch_kpis_bp)
    def get(self, args: dict[str, int], launch_id: int) -> Any:
        """The launch's KPI targets."""
        session = get_session()
        require("launch.view", current_user(), get_launch(session, launch_id))
        statement = select(KpiTarget).where(KpiTarget.launch_id == launch_id)
        page = paginate(session, statement.order_by(KpiTarget.id), args)
        body = page.body()
        body["items"] = [_body(target) for target in page.items]
        return body, 200, {"Link": page.link_header()}

    @launch_kpis_bp.arguments(KpiTargetCreateSchema)
    @launch_kpis_bp.response(201, KpiTargetSchema)
    @document_errors(launch_kpis_bp, 422)
    def post(self, data: dict[str, Any], launch_id: int) -> Any:
        """Add a KPI target; its checks are scheduled on the next materialiser tick."""
        user = current_user()
        session = get_session()
        require("kpi.manage", user, get_launch(session, launch_id))
        target = create_target(
            session, launch_id, KpiTargetInput(**data), actor=user, now=datetime.now(UTC)
        )
        session.commit()
        return _body(target), 201, {"Location": f"/api/v1/kpis/{target.id}"}


@kpis_bp.route("/<id:target_id>")
class Kpi(MethodView):
    @kpis_bp.response(200, KpiTargetSchema)
    @document_errors(kpis_bp)
    def get(self, target_id: int) -> Any:
        """One KPI target."""
        require("launch.view", current_user())
        return _body(get_target(get_session(), target_id))

    @kpis_bp.arguments(KpiTargetChangeSchema, required=False)
    @kpis_bp.response(200, KpiTargetSchema)
    @document_errors(kpis_bp, 422)
    def patch(self, data: dict[str, Any], target_id: int) -> Any:
        """Change a target's check, schedule, owner or alerting policy."""
        user = current_user()
        require("kpi.manage", user)
        session = get_session()
        target = update_target(session, target_id, data, actor=user, now=datetime.now(UTC))
        session.commit()
        return _body(target)

    @kpis_bp.response(204)
    @document_errors(kpis_bp, 422)
    def delete(self, target_id: int) -> Any:
        """Remove a target and its scheduled checks."""
        user = current_user()
        require("kpi.manage", user)
        session = get_session()
        delete_target(session, target_id, actor=user, now=datetime.now(UTC))
        session.commit()
        return ""
