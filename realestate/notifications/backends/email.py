"""E-mail through Django's e-mail backend (SMTP from ``EMAIL_URL``, a provider through
django-anymail, the console locally): text and HTML parts, the record's PDF attached."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection


class EmailBackend:
    def send(self, delivery, rendered, address: str) -> str:
        message = EmailMultiAlternatives(
            subject=rendered.subject,
            body=rendered.text,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[address],
            connection=get_connection(),
        )
        if rendered.html:
            message.attach_alternative(rendered.html, "text/html")
        for name, content, content_type in rendered.attachments:
            message.attach(name, content, content_type)
        message.send()
        # anymail puts the provider's id on the message; SMTP has none but the Message-ID.
        status = getattr(message, "anymail_status", None)
        if status is not None and getattr(status, "message_id", None):
            return str(status.message_id)
        return message.extra_headers.get("Message-ID", "")
