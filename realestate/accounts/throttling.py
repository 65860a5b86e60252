"""Login throttling: lock out a username and a client address after repeated failures.

The admin login form and the API token endpoint (wrong passwords and wrong 2FA codes) both
use this module. Failures are counted in ``core.counters``: one atomic increment per
failure in Redis or the database, shared by every process, so four web workers lock a
username after ``LOGIN_MAX_FAILURES`` failures as one would. Unknown usernames are counted
and locked exactly like real ones, so a lockout reveals nothing about which accounts exist.
"""

from __future__ import annotations

import hashlib
import math

from django.conf import settings
from django.utils.translation import ngettext

from realestate.core import counters
from realestate.core.requests import client_ip  # noqa: F401  (the lockout counts per address)


def _user_key(username: str) -> str:
    digest = hashlib.sha256((username or "").strip().lower().encode()).hexdigest()
    return f"login-fail:user:{digest}"


def _ip_key(ip: str) -> str:
    return f"login-fail:ip:{ip}"


def _window() -> int:
    return settings.LOGIN_LOCKOUT_MINUTES * 60


def _limits(username: str, ip: str) -> list[tuple[str, int]]:
    return [
        (_user_key(username), settings.LOGIN_MAX_FAILURES),
        (_ip_key(ip), settings.LOGIN_MAX_FAILURES_PER_IP),
    ]


def _minutes(seconds: float) -> int:
    return math.ceil(seconds / 60) if seconds > 0 else 0


def locked_minutes(username: str, ip: str) -> int:
    """Minutes left on a lockout of this username or this address; 0 when not locked."""
    remaining = 0.0
    for key, limit in _limits(username, ip):
        count = counters.peek(key)
        if count.value >= limit:
            remaining = max(remaining, count.seconds_left())
    return _minutes(remaining)


def record_failure(username: str, ip: str) -> int:
    """Count a failed attempt (the window restarts from it) and return the minutes the
    username or address is now locked for, 0 when not locked. The answer comes from this
    failure's own increment, so concurrent failures cannot all see a count below the limit."""
    remaining = 0.0
    for key, limit in _limits(username, ip):
        count = counters.hit(key, _window(), sliding=True)
        if count.value >= limit:
            remaining = max(remaining, count.seconds_left())
    return _minutes(remaining)


def reset_user(username: str) -> None:
    """A successful login clears the username's counter (not the address's)."""
    counters.reset(_user_key(username))


def lockout_message(minutes: int) -> str:
    return ngettext(
        "Too many failed attempts. Try again in %(minutes)d minute.",
        "Too many failed attempts. Try again in %(minutes)d minutes.",
        minutes,
    ) % {"minutes": minutes}
