"""Bearer-token authentication for the API (personal access tokens)."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import g, request
from flask_smorest import abort

from launchpad.extensions import get_session
from launchpad.models import ApiToken, User
from launchpad.services.api_tokens import authenticate

_CHALLENGE = {"WWW-Authenticate": 'Bearer realm="launchpad"'}
_WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def refuse_nul_characters() -> None:
    """NUL cannot be stored in PostgreSQL text: refuse it up front, wherever it hides."""
    body = request.get_data(cache=True)
    texts = [request.path, *request.args.keys(), *request.args.values()]
    if any("\x00" in text for text in texts) or b"\x00" in body or b"\\u0000" in body:
        abort(422, message="the request contains a NUL character (\\u0000); remove it")


def authenticate_request() -> None:
    """Every API request needs a usable token; read-only tokens may not write."""
    header = request.headers.get("Authorization", "")
    scheme, _, secret = header.partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        abort(401, message="send `Authorization: Bearer <token>`", headers=_CHALLENGE)
    session = get_session()
    token = authenticate(session, secret.strip(), datetime.now(UTC))
    if token is None:
        abort(401, message="the token is unknown, expired or revoked", headers=_CHALLENGE)
        return
    session.commit()  # keep last_used_at even if the request fails later
    if token.read_only and request.method in _WRITES and not _is_preview():
        abort(403, message="this token is read-only")
    g.api_token = token


def _is_preview() -> bool:
    """Previews change nothing, so read-only tokens may ask for them."""
    return request.args.get("dry_run") == "true" or request.path.endswith("/preview")


def current_user() -> User:
    token: ApiToken = g.api_token
    return token.user
