"""SMS through Twilio (its ``twilio`` library): credentials from the environment
(``TWILIO_ACCOUNT_SID``, ``TWILIO_AUTH_TOKEN``, ``TWILIO_FROM``: a number, or a messaging
service's ``MG…`` id). Chosen with ``SMS_BACKEND=realestate.notifications.backends.twilio.
TwilioSmsBackend``.

Twilio refusing the message (4xx: an invalid or unreachable number, a blocked recipient) is
final: the delivery fails at once with Twilio's reason. Its own errors (5xx), throttling (429)
and timeouts are passing: the delivery is retried with backoff.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from realestate.notifications.backends import PermanentFailure

#: 4xx answers that a later attempt may get past: a timeout on Twilio's side, throttling.
PASSING_CLIENT_ERRORS = {408, 429}


def twilio_client():
    """A Twilio client from the settings; ``TWILIO_API_BASE`` points it elsewhere (tests)."""
    from twilio.http.http_client import TwilioHttpClient
    from twilio.rest import Client

    sid, token = settings.TWILIO_ACCOUNT_SID, settings.TWILIO_AUTH_TOKEN
    if not (sid and token and settings.TWILIO_FROM):
        raise ImproperlyConfigured(
            "Twilio SMS needs TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_FROM."
        )
    client = Client(sid, token, http_client=TwilioHttpClient(timeout=settings.TWILIO_TIMEOUT))
    if settings.TWILIO_API_BASE:
        client.api.base_url = settings.TWILIO_API_BASE
    return client


class TwilioSmsBackend:
    def send(self, delivery, rendered, address: str) -> str:
        from twilio.base.exceptions import TwilioRestException

        sender = settings.TWILIO_FROM
        origin = {"messaging_service_sid": sender} if sender.startswith("MG") else {"from_": sender}
        try:
            message = twilio_client().messages.create(to=address, body=rendered.text, **origin)
        except TwilioRestException as error:
            if 400 <= error.status < 500 and error.status not in PASSING_CLIENT_ERRORS:
                raise PermanentFailure(
                    f"Twilio refused the message ({error.status}"
                    + (f", error {error.code}" if error.code else "")
                    + f"): {error.msg}"
                ) from error
            raise
        return message.sid
