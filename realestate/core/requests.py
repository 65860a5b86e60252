"""What the app reads off a request."""

from __future__ import annotations

from django.conf import settings


def client_ip(request) -> str:
    if request is None:
        return "unknown"
    header = getattr(settings, "LOGIN_CLIENT_IP_HEADER", "")
    if header:
        value = request.META.get(header, "")
        if value:
            return value.split(",")[0].strip()
    return request.META.get("REMOTE_ADDR", "") or "unknown"
