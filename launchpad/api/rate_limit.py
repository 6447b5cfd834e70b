"""A request budget per API token, counted in Redis (flask-limiter) and shared by workers."""

from __future__ import annotations

import hashlib

from flask import Flask, request
from flask_limiter import Limiter
from flask_smorest import Blueprint

from launchpad.broker import socket_path
from launchpad.config import Settings


def init_rate_limit(app: Flask, settings: Settings, blueprints: tuple[Blueprint, ...]) -> None:
    """Limit every API blueprint; if Redis is down, requests pass rather than fail."""
    limiter = Limiter(
        key_func=_caller,
        app=app,
        storage_uri=storage_uri(settings),
        headers_enabled=True,
        swallow_errors=True,
        strategy="fixed-window",
    )
    for blueprint in blueprints:
        limiter.limit(settings.api_rate_limit)(blueprint)
    # Only the API is limited: let every other request (feed polls, pages) out at once.
    limiter.request_filter(_not_api)


def storage_uri(settings: Settings) -> str:
    """The Redis the app uses, in the `limits` library's URL scheme."""
    url = settings.redis_url or f"unix://{socket_path(settings.instance_dir)}"
    return "redis+" + url if url.startswith("unix://") else url


def _not_api() -> bool:
    return not request.path.startswith("/api/")


def _caller() -> str:
    """The token's digest (never the token itself), else the client address."""
    scheme, _, secret = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() == "bearer" and secret.strip():
        return "token:" + hashlib.sha256(secret.strip().encode()).hexdigest()[:32]
    return f"addr:{request.remote_addr}"
