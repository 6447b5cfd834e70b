"""Web sessions with Flask-Login: who is signed in, and signing in and out.

The session cookie holds the user id and a fingerprint of the password hash, so changing
a password (or an admin resetting it) signs out every other browser of that person.
"""

from __future__ import annotations

import hashlib
from typing import cast

from flask import Flask, session
from flask_login import LoginManager, UserMixin, current_user, login_user, logout_user

from launchpad.extensions import get_session
from launchpad.models import User

_MANAGER_KEY = "launchpad_login"


class Account(UserMixin):
    """The signed-in person as Flask-Login sees them; views use `.user`."""

    def __init__(self, user: User) -> None:
        self.user = user

    def get_id(self) -> str:
        return f"{self.user.id}.{fingerprint(self.user)}"

    @property
    def is_active(self) -> bool:
        return self.user.active


def fingerprint(user: User) -> str:
    return hashlib.sha256((user.password_hash or "").encode()).hexdigest()[:16]


def init_login(app: Flask, sign_in_endpoint: str) -> None:
    manager = LoginManager()
    manager.login_view = sign_in_endpoint
    manager.login_message = "Please sign in to see that page."
    manager.login_message_category = "info"
    manager.session_protection = "basic"
    manager.user_loader(_load_account)
    manager.init_app(app)
    app.extensions[_MANAGER_KEY] = manager


def _load_account(session_id: str) -> Account | None:
    user_id, _, print_ = session_id.partition(".")
    if not user_id.isdigit():
        return None
    user = get_session().get(User, int(user_id))
    if user is None or not user.active or fingerprint(user) != print_:
        return None
    return Account(user)


def signed_in_user() -> User | None:
    """The signed-in person, or None for a visitor."""
    if not current_user.is_authenticated:
        return None
    return cast(Account, current_user).user


def start_session(user: User) -> None:
    """Sign in with a fresh session (no data carried over from before sign-in)."""
    session.clear()
    session.permanent = True  # expires after PERMANENT_SESSION_LIFETIME, not never
    login_user(Account(user))


def end_session() -> None:
    logout_user()
    session.clear()
