"""Sign-in requirement, CSRF on every form, security headers and cookie settings.

The Content-Security-Policy allows scripts and styles from this app only, never inline:
the UI has no inline script, no inline style and no `style=` attribute.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from flask import Blueprint, Flask, Response, redirect, request, url_for
from flask_wtf.csrf import CSRFProtect
from werkzeug.wrappers import Response as BaseResponse

from launchpad.auth.login import init_login, signed_in_user
from launchpad.auth.permissions import may
from launchpad.extensions import get_state

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
    "base-uri 'none'; object-src 'none'"
)
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
}
HSTS = {"Strict-Transport-Security": "max-age=31536000"}  # with an https:// base URL
PUBLIC_ENDPOINTS = frozenset({"web.static", "web.account.sign_in", "web.invites.accept"})
csrf = CSRFProtect()


def guard(bp: Blueprint) -> None:
    """Every UI request: CSRF check on writes, sign-in required, pages not cached."""
    bp.before_request(csrf.protect)
    bp.before_request(_require_sign_in)
    bp.after_request(_no_store)


def init_security(app: Flask) -> None:
    secure = get_state(app).settings.base_url.startswith("https://")
    app.config.update(
        WTF_CSRF_CHECK_DEFAULT=False,  # the API authenticates by token, not by cookie
        WTF_CSRF_TIME_LIMIT=int(timedelta(hours=12).total_seconds()),
        WTF_CSRF_SSL_STRICT=secure,
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SAMESITE="Lax",
        REMEMBER_COOKIE_SECURE=secure,
        PERMANENT_SESSION_LIFETIME=timedelta(hours=12),
    )
    csrf.init_app(app)
    init_login(app, "web.account.sign_in")
    app.after_request(_security_headers(secure))
    app.jinja_env.globals.update(may=may, signed_in_user=signed_in_user)


def _require_sign_in() -> BaseResponse | None:
    if request.endpoint in PUBLIC_ENDPOINTS or signed_in_user() is not None:
        return None
    target = request.full_path.rstrip("?") if request.method == "GET" else None
    return redirect(url_for("web.account.sign_in", next=target))


def _no_store(response: Response) -> Response:
    """Pages show private data: not kept by caches or the back button after sign-out."""
    if request.endpoint != "web.static":
        response.headers.setdefault("Cache-Control", "no-store")
    return response


def _security_headers(secure: bool) -> Callable[[Response], Response]:
    def add(response: Response) -> Response:
        for name, value in HEADERS.items():
            response.headers.setdefault(name, value)
        if secure:
            for name, value in HSTS.items():
                response.headers.setdefault(name, value)
        return response

    return add
