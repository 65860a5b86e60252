"""API rate limits: per signed-in user, per address without a token, and a tighter one per
address on the token endpoint.

Counted in ``core.counters`` (one atomic increment in Redis or the database per call), so the
limits hold across every web process; DRF answers 429 with ``Retry-After``. Rates are
``<requests>/<second|minute|hour|day>`` from the settings ``API_RATE_*``; an empty rate
switches that limit off.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from rest_framework.throttling import BaseThrottle

from realestate.core import counters
from realestate.core.requests import client_ip

PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(rate: str, setting: str) -> tuple[int, int]:
    """``"1200/hour"`` → ``(1200, 3600)``."""
    try:
        number, period = rate.split("/")
        return int(number), PERIODS[period.strip()[0].lower()]
    except (ValueError, KeyError, IndexError):
        raise ImproperlyConfigured(
            f"{setting}={rate!r}: expected <requests>/<second|minute|hour|day>, e.g. 1200/hour"
        ) from None


class SharedRateThrottle(BaseThrottle):
    scope = ""
    rate_setting = ""

    def ident(self, request) -> str | None:
        """What is counted (a user, an address); None: this throttle does not apply."""
        raise NotImplementedError

    def allow_request(self, request, view):
        rate = getattr(settings, self.rate_setting)
        ident = self.ident(request)
        if not rate or ident is None:
            return True
        limit, window = parse_rate(rate, self.rate_setting)
        count = counters.hit(f"api-rate:{self.scope}:{ident}", window)
        self.retry_after = count.seconds_left()
        return count.value <= limit

    def wait(self):
        return self.retry_after


class UserRateThrottle(SharedRateThrottle):
    """Calls of one signed-in user (``API_RATE_USER``)."""

    scope = "user"
    rate_setting = "API_RATE_USER"

    def ident(self, request):
        return str(request.user.pk) if request.user.is_authenticated else None


class AnonRateThrottle(SharedRateThrottle):
    """Calls without a token, per client address (``API_RATE_ANON``)."""

    scope = "anon"
    rate_setting = "API_RATE_ANON"

    def ident(self, request):
        return None if request.user.is_authenticated else client_ip(request)


class TokenRateThrottle(SharedRateThrottle):
    """Token requests per client address (``API_RATE_TOKEN``), besides the login lockout."""

    scope = "token"
    rate_setting = "API_RATE_TOKEN"

    def ident(self, request):
        return client_ip(request)
