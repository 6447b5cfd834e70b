"""`/api/v1/launches/<id>/measurements`: push KPI values (single or batch) and read them."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask import request
from flask.views import MethodView
from flask_smorest import abort
from sqlalchemy import select

from launchpad.api.authentication import current_user
from launchpad.api.core import api_blueprint, document_errors
from launchpad.api.pagination import PageArgs, page_schema, paginate
from launchpad.api.schemas.measurements import (
    MeasurementBatchResultSchema,
    MeasurementBatchSchema,
    MeasurementInSchema,
    MeasurementQuerySchema,
    MeasurementSchema,
)
from launchpad.auth.permissions import require
from launchpad.extensions import get_session
from launchpad.models import Measurement
from launchpad.services.launch_access import get_launch
from launchpad.services.measurements import (
    NewMeasurement,
    Recorded,
    record_measurement,
    record_measurements,
)

bp = api_blueprint("measurements", "/launches", "KPI measurements of a launch.")
MeasurementPage = page_schema(MeasurementSchema, "MeasurementPage")
IDEMPOTENCY_KEY = {
    "in": "header",
    "name": "Idempotency-Key",
    "required": False,
    "description": "Send the same key again and nothing new is stored (1-200 characters)",
    "schema": {"type": "string", "minLength": 1, "maxLength": 200},
}


class MeasurementListArgs(PageArgs, MeasurementQuerySchema):
    """Page and filter together, so unknown query parameters are refused."""


def _key(suffix: str = "") -> str | None:
    key = request.headers.get("Idempotency-Key")
    if key is None:
        return None
    if not 0 < len(key) <= 200 or not key.isprintable():
        abort(400, message="Idempotency-Key must be 1 to 200 printable characters")
    return key + suffix


def _body(recorded: Recorded) -> dict[str, Any]:
    m = recorded.measurement
    return {
        "id": m.id,
        "launch_id": m.launch_id,
        "metric": m.metric,
        "value": m.value,
        "observed_at": m.observed_at,
        "received_at": m.received_at,
        "source": m.source,
        "replayed": not recorded.created,
    }


def _item(data: dict[str, Any], key: str | None) -> NewMeasurement:
    return NewMeasurement(data["metric"], data["value"], data["observed_at"], key)


@bp.route("/<id:launch_id>/measurements")
class Measurements(MethodView):
    @bp.arguments(MeasurementListArgs, location="query")
    @bp.response(200, MeasurementPage)
    @document_errors(bp)
    def get(self, args: dict[str, Any], launch_id: int) -> Any:
        """Values of the launch's metrics, newest observation first."""
        session = get_session()
        require("launch.view", current_user(), get_launch(session, launch_id))
        statement = select(Measurement).where(Measurement.launch_id == launch_id)
        if args.get("metric"):
            statement = statement.where(Measurement.metric == args["metric"])
        statement = statement.order_by(Measurement.observed_at.desc(), Measurement.id.desc())
        page = paginate(session, statement, args)
        body = page.body()
        body["items"] = [_body(Recorded(m, True)) for m in page.items]
        return body, 200, {"Link": page.link_header()}

    @bp.arguments(MeasurementInSchema)
    @bp.response(201, MeasurementSchema)
    @bp.alt_response(200, schema=MeasurementSchema, description="A replay: nothing new stored")
    @bp.doc(parameters=[IDEMPOTENCY_KEY])
    @document_errors(bp, 409, 422)
    def post(self, data: dict[str, Any], launch_id: int) -> Any:
        """Record one value; replaying the same Idempotency-Key stores nothing new."""
        user = current_user()
        session = get_session()
        require("measurement.push", user, get_launch(session, launch_id))
        recorded = record_measurement(
            session, launch_id, _item(data, _key()), source="api", now=datetime.now(UTC), actor=user
        )
        session.commit()
        return _body(recorded), 201 if recorded.created else 200


@bp.route("/<id:launch_id>/measurements/batch")
class MeasurementBatch(MethodView):
    @bp.arguments(MeasurementBatchSchema)
    @bp.response(200, MeasurementBatchResultSchema)
    @bp.doc(parameters=[IDEMPOTENCY_KEY])
    @document_errors(bp, 409, 422)
    def post(self, data: dict[str, Any], launch_id: int) -> Any:
        """Record up to 1,000 values at once, all or nothing; item i uses key `<key>-i`."""
        user = current_user()
        session = get_session()
        require("measurement.push", user, get_launch(session, launch_id))
        items = [_item(raw, _key(f"-{index}")) for index, raw in enumerate(data["items"])]
        recorded = record_measurements(
            session, launch_id, items, source="api", now=datetime.now(UTC), actor=user
        )
        session.commit()
        return {"items": [_body(r) for r in recorded]}
