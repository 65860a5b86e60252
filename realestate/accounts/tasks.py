"""Scheduled jobs of the accounts app (django-q2). Each is safe to run twice."""

from django.utils import timezone
from rest_framework_simplejwt.token_blacklist.models import OutstandingToken

from realestate.core import counters
from realestate.core.schedules import JobSchedule

SCHEDULES = [
    JobSchedule(
        name="tokens-flush-nightly",
        func="realestate.accounts.tasks.expired_tokens_flush",
        cron="40 2 * * *",
        description="Deletes expired API refresh tokens (and their blacklist entries) and "
        "expired shared counters.",
    ),
]


def expired_tokens_flush() -> str:
    """Every login and every refresh leaves a row in simplejwt's outstanding tokens; once a
    token has expired, neither it nor its blacklist entry decides anything any more."""
    tokens, _ = OutstandingToken.objects.filter(expires_at__lte=timezone.now()).delete()
    expired_counters = counters.purge_expired()
    return f"{tokens} expired token rows, {expired_counters} expired counters deleted"
