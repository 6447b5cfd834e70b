"""`/api/v1/feeds`: your calendar feed subscription URLs (create, list, revoke, rotate)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask.views import MethodView

from launchpad.api.authentication import current_user
from launchpad.api.core import api_blueprint, document_errors
from launchpad.api.pagination import PageArgs, page_schema, paginate_list
from launchpad.api.schemas.feeds import FeedCreateSchema, FeedSchema, IssuedFeedSchema
from launchpad.auth.permissions import require
from launchpad.extensions import get_session, get_state
from launchpad.services.feed_links import issued_links, subscriptions
from launchpad.services.feed_scopes import parse_scope
from launchpad.services.feed_tokens import (
    IssuedFeedToken,
    create_feed_token,
    list_feed_tokens,
    revoke_feed_token,
    rotate_feed_token,
)

bp = api_blueprint("feeds", "/feeds", "Your calendar feed subscriptions.")
FeedPage = page_schema(FeedSchema, "FeedPage")
_NO_STORE = {"Cache-Control": "no-store"}


def _issued(issued: IssuedFeedToken) -> dict[str, Any]:
    return issued_links(get_session(), issued, get_state().settings.base_url)


@bp.route("")
class Feeds(MethodView):
    @bp.arguments(PageArgs, location="query")
    @bp.response(200, FeedPage)
    @document_errors(bp)
    def get(self, args: dict[str, int]) -> Any:
        """Your feeds with their last use (never the secret URLs)."""
        user = current_user()
        require("token.manage", user)
        session = get_session()
        page = paginate_list(subscriptions(session, list_feed_tokens(session, user)), args)
        return page.body(), 200, {"Link": page.link_header()}

    @bp.arguments(FeedCreateSchema)
    @bp.response(201, IssuedFeedSchema)
    @document_errors(bp, 422)
    def post(self, data: dict[str, Any]) -> Any:
        """A new feed URL for you, a team you belong to or a launch; shown once."""
        user = current_user()
        require("token.manage", user)
        session = get_session()
        scope = parse_scope(session, data["scope"], user, data["phase"])
        issued = create_feed_token(session, user, scope, label=data["label"], now=datetime.now(UTC))
        body = _issued(issued)
        session.commit()
        return body, 201, _NO_STORE


@bp.route("/<id:feed_id>")
class FeedDetail(MethodView):
    @bp.response(200, FeedSchema)
    @document_errors(bp)
    def delete(self, feed_id: int) -> Any:
        """Stop a feed URL at once; calendars subscribed to it get 404."""
        user = current_user()
        require("token.manage", user)
        session = get_session()
        token = revoke_feed_token(session, feed_id, actor=user, now=datetime.now(UTC))
        session.commit()
        return subscriptions(session, [token])[0]


@bp.route("/<id:feed_id>/rotate")
class FeedRotate(MethodView):
    @bp.response(201, IssuedFeedSchema)
    @document_errors(bp)
    def post(self, feed_id: int) -> Any:
        """A new URL for the same feed: the old one stops, events keep their UIDs."""
        user = current_user()
        require("token.manage", user)
        session = get_session()
        issued = rotate_feed_token(session, feed_id, actor=user, now=datetime.now(UTC))
        body = _issued(issued)
        session.commit()
        return body, 201, _NO_STORE
