"""The receipt PDF of a payment, as staff download it from the payment's page."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from pypdf import PdfReader

from realestate.finance import services
from tests.factories import ClientFactory, ReceivableFactory

pytestmark = pytest.mark.django_db


def pdf_text(response) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)


def test_receipt_shows_number_amount_and_what_it_paid(admin_client):
    client = ClientFactory(name="Noura Saleh")
    invoice = ReceivableFactory(client=client, amount=Decimal("1200.00"), number="INV-T-1")
    payment = services.payment_post(
        client=client,
        amount=Decimal("1500.00"),
        method="transfer",
        received_on=date(2026, 11, 2),
        reference="TRX-77",
    )

    response = admin_client.get(reverse("admin:finance_payment_receipt_pdf", args=[payment.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response)
    assert payment.number in text
    assert "AED 1,500.00" in text
    assert invoice.number in text and "AED 1,200.00" in text
    assert "Credit on account" in text and "AED 300.00" in text
    assert "Noura Saleh" in text


def test_receipt_of_a_reversed_payment_says_so(admin_client):
    client = ClientFactory()
    ReceivableFactory(client=client, amount=Decimal("500.00"))
    payment = services.payment_post(
        client=client, amount=Decimal("500.00"), method="cash", received_on=date(2026, 11, 2)
    )
    services.payment_reverse(payment=payment, reason="Counterfeit note")

    response = admin_client.get(reverse("admin:finance_payment_receipt_pdf", args=[payment.pk]))

    assert "REVERSED" in pdf_text(response)
    assert "Counterfeit note" in pdf_text(response)
