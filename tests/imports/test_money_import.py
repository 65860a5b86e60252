"""A former system's money: opening balances issued by ``receivable_create`` and historical
payments posted by ``payment_post``, each once however often the file is imported, and only
by the roles that may move money."""

import io
from datetime import date
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from realestate.accounts.roles import (
    ACCOUNTANT,
    ADMINISTRATOR,
    AUDITOR,
    LEASING_MANAGER,
    SALES_AGENT,
    SALES_MANAGER,
)
from realestate.core.importing.exporting import csv_stream
from realestate.core.models import ImportJob
from realestate.finance.choices import ReceivableKind, ReceivableStatus
from realestate.finance.models import Allocation, Payment, Receivable
from realestate.finance.resources import OpeningBalanceTable, PaymentTable
from tests.factories import (
    ClientFactory,
    LeaseFactory,
    ReceivableFactory,
    SaleContractFactory,
    UserFactory,
)
from tests.imports.conftest import confirm, upload, uploaded_job

pytestmark = pytest.mark.django_db

BALANCES_URL = reverse("admin:finance_receivable_import")
PAYMENTS_URL = reverse("admin:finance_payment_import")
BALANCES = "Reference,Client ID number,Sale contract,Lease,Amount,Due,Description\n"
PAYMENTS = "Reference,Client ID number,Date,Amount,Method,Pays\n"


def exported(table_class, queryset) -> str:
    table = table_class()
    return "".join(csv_stream([c.header for c in table.columns], table.export_rows(queryset)))


def counts(job):
    return (job.rows_new, job.rows_changed, job.rows_unchanged, job.rows_invalid)


@pytest.fixture
def books(db):
    layla = ClientFactory(name="Layla Haddad", id_type="passport", id_number="P1")
    omar = ClientFactory(name="Omar Aziz", id_type="passport", id_number="P2")
    contract = SaleContractFactory(number="SC-OLD-7", buyer=omar)
    lease = LeaseFactory(number="L-2024-117", tenant=layla)
    return layla, omar, contract, lease


def test_opening_balances_are_issued_once(admin_client, books):
    layla, omar, contract, lease = books
    content = BALANCES + (
        "OB-1,P1,,,1200.50,2024-12-31,\n"
        "OB-2,,SC-OLD-7,,250000,2025-01-15,Instalments in arrears\n"
        "OB-3,P1,,L-2024-117,8000,2025-02-01,\n"
    )
    job = uploaded_job(admin_client, content, url=BALANCES_URL)
    assert counts(job) == (3, 0, 0, 0), job.report
    assert not Receivable.objects.exists()
    confirm(admin_client, job)
    job.refresh_from_db()
    assert job.rows_written == 3, job.message

    first = Receivable.objects.get(reference="OB-1")
    assert (first.client, first.kind, first.amount) == (
        layla,
        ReceivableKind.OPENING,
        Decimal("1200.50"),
    )
    assert first.description == "Balance brought forward"
    assert first.number.startswith("INV-") and first.status == ReceivableStatus.OVERDUE
    on_contract = Receivable.objects.get(reference="OB-2")
    assert (on_contract.client, on_contract.contract, on_contract.unit) == (
        omar,
        contract,
        contract.unit,
    )
    assert Receivable.objects.get(reference="OB-3").lease == lease

    again = uploaded_job(admin_client, content, url=BALANCES_URL)
    assert counts(again) == (0, 0, 3, 0) and not again.can_confirm
    round_trip = uploaded_job(
        admin_client,
        exported(OpeningBalanceTable, Receivable.objects.filter(kind=ReceivableKind.OPENING)),
        url=BALANCES_URL,
    )
    assert counts(round_trip) == (0, 0, 3, 0), round_trip.report
    assert Receivable.objects.count() == 3


def test_a_changed_balance_is_refused_and_bad_rows_are_named(admin_client, books):
    uploaded = uploaded_job(
        admin_client, BALANCES + "OB-1,P1,,,1200,2024-12-31,\n", url=BALANCES_URL
    )
    confirm(admin_client, uploaded)
    content = BALANCES + (
        "OB-1,P1,,,1300,2024-12-31,\n"
        "OB-2,P1,SC-OLD-7,,100,2025-01-15,\n"  # Omar's contract
        "OB-3,,,,100,2025-01-15,\n"
        'OB-4,P2,,,"12,5",2025-01-15,\n'
        "OB-5,P2,,,0,2025-01-15,\n"
        "OB-6,P2,,,-5,2025-01-15,\n"
        "OB-7,P2,,,100,,\n"
    )
    job = uploaded_job(admin_client, content, url=BALANCES_URL, mode="valid")
    assert counts(job) == (0, 0, 0, 7), job.report
    errors = {error["row"]: error for error in job.report["errors"]}
    assert errors[2]["column"] == "Amount" and "imported already as invoice" in errors[2]["message"]
    assert "Void it on its page" in errors[2]["message"]
    assert errors[3]["column"] == "Client ID number" and "Omar Aziz's" in errors[3]["message"]
    assert errors[4]["column"] == "Client ID number"
    assert errors[5]["column"] == "Amount" and "with a point" in errors[5]["message"]
    assert errors[6]["column"] == "Amount" and "more than zero" in errors[6]["message"]
    assert errors[7]["column"] == "Amount"
    assert errors[8]["column"] == "Due" and "empty" in errors[8]["message"]
    assert Receivable.objects.get(reference="OB-1").amount == Decimal("1200.00")


def test_historical_payments_post_once_with_receipts(admin_client, books):
    layla, omar, _, _ = books
    old = ReceivableFactory(
        client=layla, number="INV-OLD-1", amount=Decimal("1000"), due_date=date(2024, 1, 1)
    )
    aimed = ReceivableFactory(
        client=layla, number="INV-OLD-2", amount=Decimal("700"), due_date=date(2024, 6, 1)
    )
    content = PAYMENTS + (
        "TRX-1,P1,2024-07-01,500,Bank transfer,INV-OLD-2\n"
        "TRX-2,P1,2024-07-02,1500.25,cash,oldest first\n"
        "TRX-3,P2,2024-07-03,300,Cash,\n"
    )
    job = uploaded_job(admin_client, content, url=PAYMENTS_URL)
    assert counts(job) == (3, 0, 0, 0), job.report
    assert not Payment.objects.exists()
    confirm(admin_client, job)
    job.refresh_from_db()
    assert job.rows_written == 3, job.message

    first = Payment.objects.get(idempotency_key="TRX-1")
    assert first.number.startswith("RC-") and first.reference == "TRX-1"
    assert [(a.receivable, a.amount) for a in first.allocations.all()] == [
        (aimed, Decimal("500.00"))
    ]
    second = Payment.objects.get(idempotency_key="TRX-2")
    assert {a.receivable.number: a.amount for a in second.allocations.all()} == {
        "INV-OLD-1": Decimal("1000.00"),
        "INV-OLD-2": Decimal("200.00"),
    }
    assert second.unallocated == Decimal("300.25")  # the client's credit
    old.refresh_from_db()
    assert old.status == ReceivableStatus.PAID
    assert Payment.objects.get(idempotency_key="TRX-3").unallocated == Decimal("300.00")
    receipt = admin_client.get(reverse("admin:finance_payment_receipt_pdf", args=[first.pk]))
    assert receipt.status_code == 200 and receipt["Content-Type"] == "application/pdf"

    allocations = Allocation.objects.count()
    again = uploaded_job(admin_client, content, url=PAYMENTS_URL)
    assert counts(again) == (0, 0, 3, 0) and not again.can_confirm
    round_trip = uploaded_job(
        admin_client, exported(PaymentTable, Payment.objects.all()), url=PAYMENTS_URL
    )
    assert counts(round_trip) == (0, 0, 3, 0), round_trip.report
    assert (Payment.objects.count(), Allocation.objects.count()) == (3, allocations)


def test_payment_rows_refused_with_their_column(admin_client, books):
    layla, omar, _, _ = books
    ReceivableFactory(client=omar, number="INV-OMAR")
    ReceivableFactory(
        client=layla, number="INV-PAID", status=ReceivableStatus.PAID, amount_paid=Decimal("1000")
    )
    confirm(
        admin_client,
        uploaded_job(admin_client, PAYMENTS + "TRX-1,P1,2024-07-01,500,Cash,\n", url=PAYMENTS_URL),
    )
    content = PAYMENTS + (
        "TRX-1,P1,2024-07-01,600,Cash,\n"
        "TRX-2,P1,2024-07-01,abc,Cash,\n"
        "TRX-3,P1,2024-07-01,100,Barter,\n"
        "TRX-4,P1,2024-07-01,100,Cash,INV-OMAR\n"
        "TRX-5,P1,2024-07-01,100,Cash,INV-PAID INV-NONE\n"
        "TRX-6,P1,2024-07-01,100,Cheque,\n"
        "TRX-7,P1,2024-07-01,0,Cash,\n"
        "TRX-7,P1,2024-07-01,10,Cash,\n"
    )
    job = uploaded_job(admin_client, content, url=PAYMENTS_URL)
    assert counts(job) == (0, 0, 0, 8), job.report
    errors = {}
    for error in job.report["errors"]:
        errors.setdefault(error["row"], []).append(error)
    assert (
        errors[2][0]["column"] == "Amount"
        and "a posted payment never changes" in errors[2][0]["message"]
    )
    assert errors[3][0]["message"] == "“abc” is not a number."
    assert errors[4][0]["column"] == "Method"
    assert errors[5][0]["column"] == "Pays" and "another client" in errors[5][0]["message"]
    assert [e["message"] for e in errors[6]] == [
        "INV-PAID is paid: nothing is due on it.",
        "No invoice INV-NONE (or not one you may see).",
    ]
    assert errors[7][0]["column"] == "Method" and "cheque needs" in errors[7][0]["message"]
    assert errors[8][0]["column"] == "Amount" and "more than zero" in errors[8][0]["message"]
    assert "also on row 8" in errors[9][0]["message"]
    assert Payment.objects.count() == 1


def test_the_rejected_rows_come_back_as_a_workbook(admin_client, books):
    content = PAYMENTS + "TRX-1,P1,2024-07-01,500,Cash,\nTRX-2,NOBODY,2024-07-01,500,Cash,\n"
    job = uploaded_job(admin_client, content, url=PAYMENTS_URL, mode="valid")
    confirm(admin_client, job)
    job.refresh_from_db()
    assert (job.rows_written, job.rows_invalid) == (1, 1)
    response = admin_client.get(reverse("admin:core_importjob_file", args=[job.pk, "rejected"]))
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][:2] == ("TRX-2", "NOBODY") and "NOBODY" in rows[1][-1]


@pytest.mark.parametrize(
    ("role", "may"),
    [
        (ADMINISTRATOR, True),
        (ACCOUNTANT, True),
        (LEASING_MANAGER, False),
        (SALES_MANAGER, False),
        (SALES_AGENT, False),
        (AUDITOR, False),
    ],
)
@pytest.mark.parametrize(("url", "content"), [(BALANCES_URL, BALANCES), (PAYMENTS_URL, PAYMENTS)])
def test_only_the_money_roles_import_money(client, roles, books, role, may, url, content):
    user = UserFactory(is_staff=True, roles=[role])
    client.force_login(user)
    page = client.get(url)
    assert page.status_code == (200 if may else 403)
    template = client.get(url + "template/")
    assert template.status_code == (200 if may else 403)
    row = "X-1,P1,,,100,2025-01-01,\n" if url == BALANCES_URL else "X-1,P1,2024-07-01,100,Cash,\n"
    response = upload(client, content + row, url=url)
    assert response.status_code == (302 if may else 403)
    if may:
        changelist = url.removesuffix("import/")
        assert url in client.get(changelist).text  # the Import button on the list
        job = ImportJob.objects.latest("pk")
        assert counts(job) == (1, 0, 0, 0), (job.message, job.report)


def test_the_job_itself_refuses_a_role_that_may_not_move_money(roles, books):
    """The worker checks too: a job made without the admin's button writes nothing."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from realestate.core.importing import jobs

    user = UserFactory(is_staff=True, roles=[LEASING_MANAGER])
    job = jobs.job_create(
        user=user,
        table="finance.payment",
        upload=SimpleUploadedFile("p.csv", (PAYMENTS + "X-1,P1,2024-07-01,100,Cash,\n").encode()),
        file_format="csv",
        mode="all",
        encoding="auto",
    )
    jobs.job_start(job, write=True)
    job.refresh_from_db()
    assert job.status == "failed" and "may not import payments" in job.message
    assert not Payment.objects.exists()
