"""`/api/v1/webhooks`: outbound event webhooks, their delivery log and a test ping (admins)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask.views import MethodView

from launchpad.api.authentication import current_user
from launchpad.api.core import api_blueprint, document_errors
from launchpad.api.pagination import PageArgs, page_schema, paginate
from launchpad.api.schemas.webhooks import (
    DeliverySchema,
    IssuedWebhookSchema,
    WebhookChangeSchema,
    WebhookCreateSchema,
    WebhookSchema,
)
from launchpad.auth.permissions import require
from launchpad.extensions import get_session, get_state
from launchpad.models import DeliveryAttempt, Destination, OutboxMessage
from launchpad.services.delivery_log import attempts_of, messages_to
from launchpad.services.webhooks import (
    create_webhook,
    delete_webhook,
    get_webhook,
    ping,
    update_webhook,
    webhooks_query,
)

bp = api_blueprint("webhooks", "/webhooks", "Outbound event webhooks (admins).")
WebhookPage = page_schema(WebhookSchema, "WebhookPage")
DeliveryPage = page_schema(DeliverySchema, "WebhookDeliveryPage")


def _now() -> datetime:
    return datetime.now(UTC)


def _manage() -> None:
    require("webhook.manage", current_user())


def _body(destination: Destination) -> dict[str, Any]:
    return {
        "id": destination.id,
        "url": destination.address,
        "description": destination.name,
        "events": destination.events,
        "launch_id": destination.launch_id,
        "enabled": destination.enabled,
        "disabled_reason": destination.disabled_reason,
        "allow_private": destination.allow_private,
        "created_at": destination.created_at,
        "updated_at": destination.updated_at,
    }


def _delivery(message: OutboxMessage, attempts: list[DeliveryAttempt]) -> dict[str, Any]:
    return {
        "id": message.id,
        "webhook_id": message.idempotency_key,
        "event_type": message.event_type,
        "status": message.status,
        "attempts": [
            {
                "attempt": a.attempt,
                "started_at": a.started_at,
                "finished_at": a.finished_at,
                "verdict": a.verdict,
                "status_code": a.status_code,
                "error": a.error,
            }
            for a in attempts
        ],
        "created_at": message.created_at,
        "delivered_at": message.delivered_at,
        "next_attempt_at": message.next_attempt_at,
        "last_status_code": message.last_status_code,
        "last_error": message.last_error,
    }


@bp.route("")
class Webhooks(MethodView):
    @bp.arguments(PageArgs, location="query")
    @bp.response(200, WebhookPage)
    @document_errors(bp)
    def get(self, args: dict[str, int]) -> Any:
        """Every webhook endpoint (never their secrets)."""
        _manage()
        page = paginate(get_session(), webhooks_query(), args)
        body = page.body()
        body["items"] = [_body(destination) for destination in page.items]
        return body, 200, {"Link": page.link_header()}

    @bp.arguments(WebhookCreateSchema)
    @bp.response(201, IssuedWebhookSchema)
    @document_errors(bp, 422)
    def post(self, data: dict[str, Any]) -> Any:
        """Register an endpoint for event types; its signing secret is in this answer only."""
        _manage()
        session = get_session()
        destination, secret = create_webhook(
            session,
            url=data["url"],
            events=data["events"],
            launch_id=data["launch_id"],
            description=data["description"],
            allow_private=data["allow_private"],
            secret_key=get_state().settings.secret_key,
            now=_now(),
        )
        session.commit()
        body = {**_body(destination), "secret": secret}
        return body, 201, {"Location": f"/api/v1/webhooks/{destination.id}"}


@bp.route("/<id:webhook_id>")
class Webhook(MethodView):
    @bp.response(200, WebhookSchema)
    @document_errors(bp)
    def get(self, webhook_id: int) -> Any:
        """One webhook endpoint."""
        _manage()
        return _body(get_webhook(get_session(), webhook_id))

    @bp.arguments(WebhookChangeSchema, required=False)
    @bp.response(200, WebhookSchema)
    @document_errors(bp, 422)
    def patch(self, data: dict[str, Any], webhook_id: int) -> Any:
        """Change the subscribed events or turn the endpoint on or off."""
        _manage()
        session = get_session()
        destination = update_webhook(session, webhook_id, data, _now())
        session.commit()
        return _body(destination)

    @bp.response(204)
    @document_errors(bp)
    def delete(self, webhook_id: int) -> Any:
        """Remove the endpoint, its queued messages and its delivery log."""
        _manage()
        session = get_session()
        delete_webhook(session, webhook_id)
        session.commit()
        return ""


@bp.route("/<id:webhook_id>/deliveries")
class Deliveries(MethodView):
    @bp.arguments(PageArgs, location="query")
    @bp.response(200, DeliveryPage)
    @document_errors(bp)
    def get(self, args: dict[str, int], webhook_id: int) -> Any:
        """The delivery log: the endpoint's messages, newest first, with their attempts."""
        _manage()
        session = get_session()
        get_webhook(session, webhook_id)
        page = paginate(session, messages_to(webhook_id), args)
        attempts = attempts_of(session, [message.id for message in page.items])
        body = page.body()
        body["items"] = [_delivery(message, attempts[message.id]) for message in page.items]
        return body, 200, {"Link": page.link_header()}


@bp.route("/<id:webhook_id>/ping")
class Ping(MethodView):
    @bp.response(202, DeliverySchema)
    @document_errors(bp)
    def post(self, webhook_id: int) -> Any:
        """Queue a `webhook.ping` event to this endpoint; see it in the delivery log."""
        _manage()
        session = get_session()
        message = ping(session, webhook_id, _now())
        session.commit()
        return _delivery(message, []), 202
