"""Checking an email and password, throttled, with one answer for every kind of failure."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from sqlalchemy import select
from sqlalchemy.orm import Session

from launchpad.auth.throttle import SignInThrottle
from launchpad.models import User
from launchpad.services.people import hash_password, normalise_email, password_matches

WRONG = "That email and password do not match an active account."


@dataclass(frozen=True, slots=True)
class SignInResult:
    user: User | None
    message: str = ""


def check_sign_in(
    session: Session, throttle: SignInThrottle, email: str, password: str, address: str
) -> SignInResult:
    """The active user these credentials name, or a message that says why not."""
    wait = throttle.wait_seconds(email, address)
    if wait:
        minutes = max(1, round(wait / 60))
        return SignInResult(
            None, f"Too many failed sign-ins. Wait about {minutes} minute(s) and try again."
        )
    user = session.scalar(select(User).where(User.email == normalise_email(email)))
    matches = password_matches(user or _stand_in(), password)
    if user is None or not matches or not user.active:
        throttle.failed(email, address)
        return SignInResult(None, WRONG)
    throttle.succeeded(email)
    return SignInResult(user)


@lru_cache(maxsize=1)
def _stand_in() -> User:
    """Verified against when no account matches, so an unknown email costs as much time
    as a wrong password and response times do not reveal who has an account."""
    return User(email="", name="", password_hash=hash_password("not a real password"))
