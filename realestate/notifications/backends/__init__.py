"""Where deliveries go: one backend per channel, named by ``settings.NOTIFICATION_BACKENDS``.

A backend's ``send(delivery, rendered, address)`` sends one message and returns the provider's
id for it. It raises ``PermanentFailure`` for what no retry can mend (a number the provider
refuses, a device token it no longer knows); any other exception is taken as a passing failure
and the delivery is retried with backoff.
"""

from __future__ import annotations

from functools import cache

from django.conf import settings
from django.utils.module_loading import import_string


class PermanentFailure(Exception):
    """The provider refused the message for good: do not retry."""


DEFAULT_BACKENDS = {
    "in_app": "realestate.notifications.backends.in_app.InAppBackend",
    "email": "realestate.notifications.backends.email.EmailBackend",
    "sms": "realestate.notifications.backends.sms.LogSmsBackend",
    "push": "realestate.notifications.backends.push.LogPushBackend",
}


@cache
def _backend(path: str):
    return import_string(path)()


def backend_for(channel: str):
    paths = {**DEFAULT_BACKENDS, **getattr(settings, "NOTIFICATION_BACKENDS", {})}
    return _backend(paths[channel])
