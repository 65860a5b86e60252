"""Login throttling: lock out a username and a client address after repeated failures.

Counters live in the Django cache (Redis when configured, per-process memory otherwise).
Both the admin login form and the API token endpoint use this module. Unknown usernames
are counted and locked exactly like real ones, so a lockout reveals nothing about which
accounts exist.
"""

from __future__ import annotations

import hashlib
import math
import time

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import ngettext


def _user_key(username: str) -> str:
    digest = hashlib.sha256((username or "").strip().lower().encode()).hexdigest()
    return f"login-fail:user:{digest}"


def _ip_key(ip: str) -> str:
    return f"login-fail:ip:{ip}"


def client_ip(request) -> str:
    if request is None:
        return "unknown"
    header = getattr(settings, "LOGIN_CLIENT_IP_HEADER", "")
    if header:
        value = request.META.get(header, "")
        if value:
            return value.split(",")[0].strip()
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def _window() -> int:
    return settings.LOGIN_LOCKOUT_MINUTES * 60


def _limits(username: str, ip: str) -> list[tuple[str, int]]:
    return [
        (_user_key(username), settings.LOGIN_MAX_FAILURES),
        (_ip_key(ip), settings.LOGIN_MAX_FAILURES_PER_IP),
    ]


def locked_minutes(username: str, ip: str) -> int:
    """Minutes left on a lockout of this username or this address; 0 when not locked."""
    now = time.time()
    remaining = 0.0
    for key, limit in _limits(username, ip):
        entry = cache.get(key)
        if entry and entry["count"] >= limit:
            remaining = max(remaining, entry["until"] - now)
    return math.ceil(remaining / 60) if remaining > 0 else 0


def record_failure(username: str, ip: str) -> None:
    """Count a failed attempt; the window restarts from the latest failure."""
    now = time.time()
    for key, _limit in _limits(username, ip):
        entry = cache.get(key) or {"count": 0}
        entry = {"count": entry["count"] + 1, "until": now + _window()}
        cache.set(key, entry, _window())


def reset_user(username: str) -> None:
    """A successful login clears the username's counter (not the address's)."""
    cache.delete(_user_key(username))


def lockout_message(minutes: int) -> str:
    return ngettext(
        "Too many failed attempts. Try again in %(minutes)d minute.",
        "Too many failed attempts. Try again in %(minutes)d minutes.",
        minutes,
    ) % {"minutes": minutes}
