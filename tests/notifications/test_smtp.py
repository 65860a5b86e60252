"""A payment's receipt e-mail through Django's SMTP backend to a real SMTP server (aiosmtpd)
started inside the test: text and HTML parts, and the receipt PDF attached."""

import email
import io
from datetime import date
from decimal import Decimal
from email import policy

import pytest
from aiosmtpd.controller import Controller
from pypdf import PdfReader

from realestate.finance import services as finance
from realestate.notifications import dispatch, services
from realestate.notifications.choices import Channel, DeliveryStatus, MessageKind
from realestate.notifications.models import Delivery
from tests.factories import ClientFactory, ReceivableFactory
from tests.processes import free_port

pytestmark = pytest.mark.django_db


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.rcpt_tos, envelope.original_content or envelope.content))
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_server(settings, tmp_path):
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.MEDIA_ROOT = tmp_path  # the receipt PDF is filed there
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 10
    settings.DEFAULT_FROM_EMAIL = "Acme Properties <noreply@acme.test>"
    yield inbox
    controller.stop()


def test_payment_received_arrives_with_text_html_and_the_receipt_pdf(smtp_server):
    client = ClientFactory(name="Noura Saleh", email="noura@example.com", portal_user=None)
    ReceivableFactory(client=client, amount=Decimal("1200.00"))
    payment = finance.payment_post(
        client=client,
        amount=Decimal("1200.00"),
        method="transfer",
        received_on=date(2026, 11, 2),
        reference="TRX-77",
    )
    services.notify(
        MessageKind.PAYMENT_RECEIVED,
        record=payment,
        recipients=[client],
        context={
            "name": client.name,
            "company": "Acme Properties",
            "payment": payment.number,
            "amount": "1,200.00",
            "currency": "AED",
            "date": "2 Nov 2026",
        },
    )

    dispatch.deliveries_dispatch()

    delivery = Delivery.objects.get(channel=Channel.EMAIL, notification__object_id=payment.pk)
    assert delivery.status == DeliveryStatus.SENT, delivery.error
    assert delivery.provider_id.startswith("<")  # the Message-ID it went with
    (recipients, raw), *_ = smtp_server.messages
    assert recipients == ["noura@example.com"]
    message = email.message_from_bytes(raw, policy=policy.default)
    assert message["To"] == "noura@example.com"
    assert message["Message-ID"] == delivery.provider_id
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    assert "Noura Saleh" in text and payment.number in text
    assert "<html" in html.lower() and payment.number in html
    (attachment,) = list(message.iter_attachments())
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_filename().endswith(".pdf")
    pdf = attachment.get_content()
    assert pdf.startswith(b"%PDF")
    pdf_text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert payment.number in pdf_text and "Noura Saleh" in pdf_text
