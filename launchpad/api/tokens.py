"""`/api/v1/tokens`: the caller's own personal access tokens."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask.views import MethodView

from launchpad.api.authentication import current_user
from launchpad.api.core import api_blueprint, document_errors
from launchpad.api.pagination import PageArgs, page_schema, paginate_list
from launchpad.api.schemas.tokens import IssuedTokenSchema, TokenCreateSchema, TokenSchema
from launchpad.auth.permissions import require
from launchpad.extensions import get_session
from launchpad.services.api_tokens import create_token, list_tokens, revoke_token

bp = api_blueprint("tokens", "/tokens", "Your personal access tokens.")
TokenPage = page_schema(TokenSchema, "TokenPage")


@bp.route("")
class Tokens(MethodView):
    @bp.arguments(PageArgs, location="query")
    @bp.response(200, TokenPage)
    @document_errors(bp)
    def get(self, args: dict[str, int]) -> Any:
        """Your tokens (never their secrets)."""
        user = current_user()
        require("token.manage", user)
        page = paginate_list(list_tokens(get_session(), user), args)
        return page.body(), 200, {"Link": page.link_header()}

    @bp.arguments(TokenCreateSchema, required=False)
    @bp.response(201, IssuedTokenSchema)
    @document_errors(bp, 422)
    def post(self, data: dict[str, Any]) -> Any:
        """Create a token; its secret is in this answer only (read-only tokens cannot)."""
        user = current_user()
        require("token.manage", user)
        session = get_session()
        issued = create_token(
            session,
            user,
            label=data["label"],
            read_only=data["read_only"],
            expires_days=data["expires_days"],
            now=datetime.now(UTC),
        )
        session.commit()
        body = {name: getattr(issued.token, name) for name in TokenSchema().fields}
        body["token"] = issued.secret
        return body, 201, {"Cache-Control": "no-store"}


@bp.route("/<id:token_id>")
class TokenDetail(MethodView):
    @bp.response(200, TokenSchema)
    @document_errors(bp)
    def delete(self, token_id: int) -> Any:
        """Revoke one of your tokens at once."""
        user = current_user()
        require("token.manage", user)
        session = get_session()
        token = revoke_token(session, token_id, actor=user, now=datetime.now(UTC))
        session.commit()
        return token
