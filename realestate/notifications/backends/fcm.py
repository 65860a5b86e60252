"""Push through Firebase Cloud Messaging's HTTP v1 API, one request per device token.

The service account's JSON key (``FCM_SERVICE_ACCOUNT_FILE``) signs a JWT that is exchanged
for an OAuth2 access token (kept until shortly before it expires). Chosen with
``PUSH_BACKEND=realestate.notifications.backends.fcm.FcmPushBackend``; ``FCM_API_BASE``
points it elsewhere (tests).

A token FCM no longer knows (``UNREGISTERED``) or refuses (``INVALID_ARGUMENT``) is the
device's: its ``Device`` row is removed and it is never tried again. FCM's own errors (5xx),
throttling and timeouts are passing: when no device got the message it is retried with
backoff; a device that did is not sent it twice.
"""

from __future__ import annotations

import json
import logging
import threading
import time

import jwt
import requests
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from realestate.notifications.backends import PermanentFailure

logger = logging.getLogger(__name__)

SCOPE = "https://www.googleapis.com/auth/firebase.messaging"
GOOGLE_TOKEN_URI = "https://oauth2.googleapis.com/token"
#: FCM's answers that say the token, not the message or the service, is at fault.
TOKEN_ERRORS = {"UNREGISTERED", "INVALID_ARGUMENT"}

_token_lock = threading.Lock()
_tokens: dict[str, tuple[str, float]] = {}


class FcmUnavailable(Exception):
    """FCM did not take the message for any device this time (retried)."""


def service_account() -> dict:
    path = settings.FCM_SERVICE_ACCOUNT_FILE
    if not path:
        raise ImproperlyConfigured("FCM push needs FCM_SERVICE_ACCOUNT_FILE (a JSON key).")
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


def access_token(account: dict) -> str:
    """An OAuth2 access token for ``account``: a signed JWT exchanged at its token URI."""
    key = account["client_email"]
    with _token_lock:
        cached = _tokens.get(key)
        if cached and cached[1] > time.time() + 60:
            return cached[0]
        now = int(time.time())
        token_uri = account.get("token_uri") or GOOGLE_TOKEN_URI
        assertion = jwt.encode(
            {
                "iss": account["client_email"],
                "scope": SCOPE,
                "aud": token_uri,
                "iat": now,
                "exp": now + 3600,
            },
            account["private_key"],
            algorithm="RS256",
            headers={"kid": account.get("private_key_id", "")},
        )
        response = requests.post(
            token_uri,
            data={
                "grant_type": "urn:ietf:params:oauth:grant-type:jwt-bearer",
                "assertion": assertion,
            },
            timeout=settings.FCM_TIMEOUT,
        )
        if response.status_code != 200:
            raise FcmUnavailable(
                f"The token exchange answered {response.status_code}: {response.text[:300]}"
            )
        answer = response.json()
        _tokens[key] = (answer["access_token"], now + int(answer.get("expires_in", 3600)))
        return answer["access_token"]


def forget_token(account: dict) -> None:
    with _token_lock:
        _tokens.pop(account["client_email"], None)


def _error_of(response) -> tuple[str, str]:
    """(FCM's error code, its message) of a refused request."""
    try:
        error = response.json().get("error", {})
    except ValueError:
        return "", response.text[:300]
    codes = [
        detail.get("errorCode", "")
        for detail in error.get("details", [])
        if isinstance(detail, dict) and detail.get("errorCode")
    ]
    return (codes[0] if codes else error.get("status", "")), error.get("message", "")


def payload(delivery, rendered, token: str) -> dict:
    notification = delivery.notification
    return {
        "message": {
            "token": token,
            "notification": {"title": rendered.subject, "body": rendered.text},
            "data": {
                "kind": notification.kind,
                "notification_id": str(notification.pk),
                "link": notification.link or "",
            },
        }
    }


class FcmPushBackend:
    def send(self, delivery, rendered, address: str) -> str:
        from realestate.accounts.models import Device

        account = service_account()
        url = (
            f"{settings.FCM_API_BASE.rstrip('/')}/v1/projects/{account['project_id']}/messages:send"
        )
        sent, gone, passing = [], [], []
        for token in [token for token in address.split(",") if token]:
            try:
                response = requests.post(
                    url,
                    json=payload(delivery, rendered, token),
                    headers={"Authorization": f"Bearer {access_token(account)}"},
                    timeout=settings.FCM_TIMEOUT,
                )
            except (requests.RequestException, FcmUnavailable) as error:
                passing.append(f"{type(error).__name__}: {error}")
                continue
            if response.status_code == 200:
                sent.append(response.json().get("name", ""))
                continue
            code, message = _error_of(response)
            if code in TOKEN_ERRORS or response.status_code == 404:
                # The device is gone (the app removed, the token rotated): forget it.
                Device.objects.filter(push_token=token).delete()
                gone.append(f"{token[:12]}…: {code or response.status_code} {message}".strip())
                continue
            if response.status_code == 401:
                forget_token(account)  # the next attempt exchanges a fresh token
            passing.append(f"{response.status_code} {code}: {message}".strip())
        if sent:
            if passing or gone:
                logger.warning(
                    "Push %s reached %s devices; not %s", delivery.pk, len(sent), passing + gone
                )
            return ",".join(sent)
        if passing:
            raise FcmUnavailable("; ".join(passing)[:2000])
        raise PermanentFailure(
            "No device took the message; their tokens were removed: " + "; ".join(gone)
        )
