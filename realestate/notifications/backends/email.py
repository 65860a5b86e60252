"""E-mail through Django's e-mail backend (SMTP from ``EMAIL_URL``, a provider through
django-anymail, the console locally): text and HTML parts, the record's PDF attached."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.message import make_msgid
from django.core.mail.utils import DNS_NAME


class EmailBackend:
    def send(self, delivery, rendered, address: str) -> str:
        message = EmailMultiAlternatives(
            subject=rendered.subject,
            body=rendered.text,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[address],
            connection=get_connection(),
            # Our own Message-ID: the SMTP server's answer carries none to keep as the id.
            headers={"Message-ID": make_msgid(domain=DNS_NAME)},
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
