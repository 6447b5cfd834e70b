"""Failed sign-ins counted in Redis, per account and per client address.

Counting by the *submitted* email (hashed), whether or not such an account exists, keeps
the answer identical for known and unknown addresses: the throttle cannot be used to
find out who has an account. Redis is shared by every web process, so the budget is too.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass

import redis

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Limits:
    per_account: int = 5
    per_address: int = 30
    window_seconds: int = 15 * 60


class SignInThrottle:
    """Refuse further attempts once either budget is spent, until its window ends."""

    def __init__(self, connection: redis.Redis, limits: Limits | None = None) -> None:
        self.redis = connection
        self.limits = limits or Limits()

    def wait_seconds(self, email: str, address: str) -> int:
        """0 when an attempt may go ahead, else the seconds until one may."""
        try:
            waits = [self._wait(key, cap) for key, cap in self._budgets(email, address)]
        except redis.RedisError:
            log.warning("sign-in throttle unavailable (Redis); not limiting")
            return 0
        return max(waits)

    def failed(self, email: str, address: str) -> None:
        try:
            for key, _cap in self._budgets(email, address):
                if self.redis.incr(key) == 1:  # the first failure opens the window
                    self.redis.expire(key, self.limits.window_seconds)
        except redis.RedisError:
            log.warning("sign-in throttle unavailable (Redis); failure not counted")

    def succeeded(self, email: str) -> None:
        """A right password clears the account's count (not the address's)."""
        try:
            self.redis.delete(_account_key(email))
        except redis.RedisError:
            log.warning("sign-in throttle unavailable (Redis)")

    def _budgets(self, email: str, address: str) -> list[tuple[str, int]]:
        return [
            (_account_key(email), self.limits.per_account),
            (f"launchpad:signin:addr:{address}", self.limits.per_address),
        ]

    def _wait(self, key: str, cap: int) -> int:
        count = int(self.redis.get(key) or 0)
        if count < cap:
            return 0
        return max(int(self.redis.ttl(key)), 1)


def _account_key(email: str) -> str:
    digest = hashlib.sha256(email.strip().lower().encode()).hexdigest()[:32]
    return f"launchpad:signin:acct:{digest}"
