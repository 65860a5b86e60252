"""Every kind of generated document renders from its shipped template, and its key figures
read back from the PDF: net price and schedule total, invoice amount, receipt amount and
balance left, the statement's closing balance (equal to the client's balance), lease rent."""

from datetime import date, timedelta
from decimal import Decimal as D

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from realestate.core.money import format_money
from realestate.documents.choices import TemplateKind
from realestate.documents.defaults import default_templates_install
from realestate.documents.generation import document_render
from realestate.documents.kinds import KINDS
from realestate.documents.models import DocumentTemplate
from realestate.documents.words import amount_in_words
from realestate.finance import selectors
from realestate.finance import services as finance
from tests.documents.conftest import pdf_pages
from tests.documents.conftest import pypdf_text as pdf_text
from tests.factories import (
    ClientFactory,
    LeaseFactory,
    OwnerStatementFactory,
    ReceivableFactory,
    ReservationFactory,
    UnitFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def render(record, kind, **params) -> str:
    content, _version, _title = document_render(record=record, kind=kind, **params)
    assert content.startswith(b"%PDF-")
    return " ".join(pdf_text(content).split())  # lines joined: a wrapped label still reads


def test_a_fresh_install_has_one_active_english_template_per_kind():
    active = DocumentTemplate.objects.filter(is_active=True, language="en")
    assert sorted(active.values_list("kind", flat=True)) == sorted(TemplateKind.values)
    assert all(template.versions.count() == 1 for template in active)
    bilingual = DocumentTemplate.objects.filter(is_active=True, language="en-ar")
    assert list(bilingual.values_list("kind", flat=True)) == ["invoice"]
    assert default_templates_install() == []  # a second run adds nothing
    assert DocumentTemplate.objects.count() == len(TemplateKind.values) + 1


def test_installing_again_keeps_staff_edits():
    template = DocumentTemplate.objects.get(kind="invoice", language="en")
    template.body = "<p>Our own invoice {{ invoice.number }}</p>"
    template.save()
    default_templates_install()
    template.refresh_from_db()
    assert template.body.startswith("<p>Our own invoice")


def test_every_kind_documents_its_placeholders():
    assert set(KINDS) == set(TemplateKind.values)
    for spec in KINDS.values():
        assert spec.placeholders, spec.kind
        assert all(meaning for meaning in spec.placeholders.values()), spec.kind


def test_sale_contract_shows_net_price_schedule_total_and_words(contract):
    content, _version, title = document_render(record=contract, kind="sale_contract")
    text = " ".join(pdf_text(content).split())
    schedule_total = sum(r.amount for r in contract.receivables.all())
    assert schedule_total == contract.net_price == D("2300000.00")
    assert title == f"Sale contract {contract.number}"
    assert "Net price AED 2,300,000.00" in text
    assert "Total of the schedule (equal to the net price) AED 2,300,000.00" in text
    assert "Two million, three hundred thousand UAE dirhams only" in text
    assert amount_in_words(D("2300000.00"), "AED", "ar") in text  # shaped, in reading order
    assert "Noura Saleh" in text and "Passport P1234567" in text
    assert "Instalment 60 of 60" in text and "On handover" in text
    # three pages, numbered, the contract number on each page after the first
    assert pdf_pages(content) == 3
    assert "Page 1 of 3" in text and "Page 3 of 3" in text
    assert text.count(f"Contract {contract.number}") == 3
    # the schedule's header repeats on every page it runs over
    assert text.count("# Instalment Due % Amount (AED)") >= 2


def test_draft_contract_shows_the_schedule_its_terms_would_make(db):
    from realestate.sales import services as sales
    from tests.factories import PaymentPlanFactory

    plan = PaymentPlanFactory(instalment_count=4, down_payment_percent=D("10"))
    contract = sales.contract_create(
        unit=UnitFactory(list_price=D("1000000")),
        buyer=ClientFactory(),
        price=D("1000000.01"),
        plan=plan,
    )
    text = render(contract, "sale_contract")
    assert "DRAFT" in text and "projected" in text
    assert "AED 1,000,000.01" in text  # net price and the schedule's total


def test_reservation_form_shows_deposit_and_client():
    reservation = ReservationFactory(client=ClientFactory(name="Omar Haddad"))
    text = render(reservation, "reservation_form")
    assert reservation.number in text and "Omar Haddad" in text
    assert "AED 25,000.00" in text and "Twenty-five thousand UAE dirhams only" in text


def test_lease_agreement_shows_rent_deposit_and_schedule():
    lease = LeaseFactory(
        start_date=date(2026, 1, 1),
        end_date=date(2026, 12, 31),
        monthly_rent=D("8250.50"),
        billing_frequency="quarterly",
        escalation_percent=D("5"),
    )
    text = render(lease, "lease_agreement")
    assert "AED 8,250.50" in text  # monthly rent
    assert "Eight thousand, two hundred and fifty UAE dirhams and 50 fils only" in text
    assert "Quarterly" in text and "5%" in text
    assert "AED 8,000.00" in text  # the deposit
    # four quarters of 3 x 8,250.50
    assert text.count("24,751.50") == 4 and "AED 99,006.00" in text


def test_invoice_shows_amount_balance_and_client():
    receivable = ReceivableFactory(
        amount=D("12345.67"),
        description="Service charge 2026",
        client=ClientFactory(name="Layla Nasser"),
    )
    text = render(receivable, "invoice")
    assert receivable.number in text and "Layla Nasser" in text
    assert "Total AED 12,345.67" in text
    assert "Balance due AED 12,345.67" in text
    assert amount_in_words(D("12345.67"), "AED") in text


def test_receipt_shows_amount_allocations_and_balance_left():
    client = ClientFactory(name="Noura Saleh")
    first = ReceivableFactory(client=client, amount=D("1200.00"), issue_date=date(2026, 10, 1))
    ReceivableFactory(client=client, amount=D("900.00"), issue_date=date(2026, 10, 5))
    payment = finance.payment_post(
        client=client,
        amount=D("1500.00"),
        method="transfer",
        received_on=date(2026, 11, 2),
        allocations=None,
    )
    text = render(payment, "receipt")
    assert payment.number in text and "AED 1,500.00" in text
    assert first.number in text and "1,200.00" in text
    # 2,100 charged, 1,500 paid: 600 left
    assert "Balance left on the account AED 600.00" in text


def test_statement_closing_balance_is_the_clients_balance():
    client = ClientFactory(name="Karim Aziz")
    today = timezone.localdate()
    ReceivableFactory(client=client, amount=D("5000.00"), issue_date=today - timedelta(days=70))
    ReceivableFactory(client=client, amount=D("2500.25"), issue_date=today - timedelta(days=20))
    finance.payment_post(
        client=client, amount=D("3000.00"), method="cash", received_on=today - timedelta(days=60)
    )
    start = today - timedelta(days=30)
    text = render(client, "statement", start=start, end=today)
    balance = selectors.client_balance(client)["balance"]
    assert balance == D("4500.25")
    assert f"Closing balance {format_money(balance, 'AED')}" in text
    assert "Opening balance AED 2,000.00" in text  # 5,000 charged less 3,000 paid before
    assert "Charges AED 2,500.25" in text


def test_owner_statement_shows_net_payable():
    statement = OwnerStatementFactory(
        lines=[
            {
                "unit": "MH-101",
                "rent_collected": "10000.00",
                "management_fee": "500.00",
                "expenses": "750.00",
                "net": "8750.00",
            }
        ]
    )
    text = render(statement, "owner_statement")
    assert "MH-101" in text and "Net payable to the owner AED 8,750.00" in text
    assert "Management fee (5% of AED 10,000.00)" in text


def test_fact_sheet_shows_the_main_photo(settings, tmp_path):
    from PIL import Image

    settings.MEDIA_ROOT = str(tmp_path)
    unit = UnitFactory(
        code="DT-2304",
        list_price=D("1850000"),
        agent=UserFactory(first_name="Layla", last_name="Haddad"),
    )
    image = tmp_path / "p.png"
    Image.new("RGB", (40, 30), (200, 30, 30)).save(image)
    unit.photos.create(image=SimpleUploadedFile("front.png", image.read_bytes()), caption="Front")
    content, _version, _title = document_render(record=unit, kind="fact_sheet")
    text = pdf_text(content)
    assert "DT-2304" in text and "AED 1,850,000.00" in text and "Layla Haddad" in text
    assert b"/Subtype /Image" in content  # the photo is in the PDF


def test_every_shipped_template_carries_the_company_logo(contract):
    """The shipped letterhead shows the profile's logo: each kind's PDF holds its image."""
    import io

    from pypdf import PdfReader

    from realestate.documents import demo

    demo.company()  # the demo profile, with a logo
    receivable = ReceivableFactory(amount=D("100.00"))
    content, _version, _title = document_render(record=receivable, kind="invoice")
    assert len(PdfReader(io.BytesIO(content)).pages[0].images) >= 1
    content, _version, _title = document_render(record=contract, kind="sale_contract")
    assert len(PdfReader(io.BytesIO(content)).pages[0].images) >= 1
