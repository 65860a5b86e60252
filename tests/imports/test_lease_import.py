"""Leases from a former system: made and activated by the leasing services, compared on
re-import, and never moved or re-priced by an import once active."""

import io
from datetime import date
from decimal import Decimal

import openpyxl
import pytest
from django.contrib.admin.models import LogEntry
from django.urls import reverse

from realestate.accounts.roles import LEASING_MANAGER
from realestate.core.importing.exporting import csv_stream
from realestate.core.permissions import grant
from realestate.finance.choices import ReceivableKind
from realestate.finance.models import Receivable
from realestate.leasing.choices import LeaseStatus
from realestate.leasing.models import Lease, RentCharge
from realestate.leasing.resources import LeaseTable
from realestate.properties.choices import UnitStatus
from realestate.properties.models import Unit
from tests.factories import BuildingFactory, ClientFactory, LeaseFactory, UnitFactory, UserFactory
from tests.imports.conftest import confirm, uploaded_job

pytestmark = pytest.mark.django_db

URL = reverse("admin:leasing_lease_import")
HEADER = (
    "Lease number,Unit,Tenant ID number,Start,End,Term,Monthly rent,Deposit,Billing,"
    "Billing day,Status\n"
)


def exported(table_class, queryset, user=None) -> str:
    """The CSV the list's export writes (``core.admin.exports``: the table's own rows)."""
    table = table_class(user=user)
    return "".join(csv_stream([c.header for c in table.columns], table.export_rows(queryset)))


def lease_job(client, content, **kwargs):
    return uploaded_job(client, content, name="leases.csv", url=URL, **kwargs)


def counts(job):
    return (job.rows_new, job.rows_changed, job.rows_unchanged, job.rows_invalid)


@pytest.fixture
def homes(db):
    tenant = ClientFactory(name="Layla Haddad", id_type="passport", id_number="P1234567")
    other = ClientFactory(name="Omar Aziz", id_type="passport", id_number="P7654321")
    units = [
        UnitFactory(code=code, purpose="rent", list_price=None, monthly_rent=Decimal("9000.00"))
        for code in ("MH-201", "MH-202", "MH-203")
    ]
    return tenant, other, units


def test_new_leases_are_made_activated_and_scheduled(admin_client, homes):
    content = HEADER + (
        "L-2024-117,MH-201,P1234567,2024-03-01,2025-02-28,Fixed,9500.00,9500,Monthly,1,\n"
        "L-2024-118,MH-202,P7654321,2024-06-01,2025-05-31,fixed,,0,Quarterly,5,Draft\n"
    )
    job = lease_job(admin_client, content)
    assert counts(job) == (2, 0, 0, 0), job.report
    assert not Lease.objects.exists()  # the preview's services ran in a rolled-back transaction
    assert not Receivable.objects.exists()

    confirm(admin_client, job)
    job.refresh_from_db()
    assert (job.status, job.rows_written) == ("done", 2), job.message

    active = Lease.objects.get(number="L-2024-117")
    assert active.status == LeaseStatus.ACTIVE
    assert active.unit.status == UnitStatus.LEASED
    assert active.monthly_rent == Decimal("9500.00")
    assert RentCharge.objects.filter(lease=active).count() == 12
    deposit = Receivable.objects.get(lease=active, kind=ReceivableKind.DEPOSIT)
    assert deposit.amount == Decimal("9500.00")
    draft = Lease.objects.get(number="L-2024-118")
    assert draft.status == LeaseStatus.DRAFT
    assert draft.monthly_rent == Decimal("9000.00")  # empty: the unit's listed rent
    assert (draft.billing_frequency, draft.billing_day) == ("quarterly", 5)
    assert not draft.rent_charges.exists()
    # One line for the import, and the activation's step line, as the admin's button writes.
    assert LogEntry.objects.filter(change_message__startswith="Imported leasing.lease").count() == 1


def test_reimporting_the_export_changes_nothing(admin_client, homes):
    tenant, _, units = homes
    content = HEADER + "L-9,MH-201,P1234567,2024-03-01,2025-02-28,Fixed,9500,9500,Monthly,1,\n"
    confirm(admin_client, lease_job(admin_client, content))
    lease = Lease.objects.get(number="L-9")
    history = Lease.history.count()

    text = exported(LeaseTable, Lease.objects.all())
    assert "L-9,MH-201,P1234567,2024-03-01,2025-02-28,Fixed term,9500.00,9500.00,Monthly," in text
    job = lease_job(admin_client, text)
    assert counts(job) == (0, 0, 1, 0), job.report
    assert not job.can_confirm
    assert Lease.history.count() == history
    lease.refresh_from_db()
    assert lease.status == LeaseStatus.ACTIVE and units[0].pk == lease.unit_id
    assert tenant.pk == lease.tenant_id


def test_active_lease_money_terms_are_refused_and_draft_terms_change(admin_client, homes):
    tenant, _, units = homes
    content = HEADER + (
        "L-1,MH-201,P1234567,2024-03-01,2025-02-28,Fixed,9500,9500,Monthly,1,\n"
        "L-2,MH-202,P1234567,2024-03-01,2025-02-28,Fixed,9500,0,Monthly,1,Draft\n"
    )
    confirm(admin_client, lease_job(admin_client, content))
    changed = HEADER + (
        "L-1,MH-201,P1234567,2024-03-01,2025-02-28,Fixed,9900,9500,Monthly,1,\n"
        "L-2,MH-202,P1234567,2024-03-01,2025-02-28,Fixed,9700,0,Monthly,1,Active\n"
    )
    job = lease_job(admin_client, changed)
    assert counts(job) == (0, 1, 0, 1), job.report
    [error] = job.report["errors"]
    assert error["row"] == 2 and error["column"] == "Monthly rent" and error["value"] == "9900"
    assert "L-1 is active" in error["message"] and "not changed by import" in error["message"]
    [change] = job.report["changed"]
    assert change["changes"] == {"Monthly rent": ["9500.00", "9700"], "Status": ["Draft", "Active"]}

    valid_rows = lease_job(admin_client, changed, mode="valid")
    confirm(admin_client, valid_rows)
    draft = Lease.objects.get(number="L-2")
    assert (draft.status, draft.monthly_rent) == (LeaseStatus.ACTIVE, Decimal("9700.00"))
    assert Lease.objects.get(number="L-1").monthly_rent == Decimal("9500.00")
    valid_rows.refresh_from_db()
    assert valid_rows.error_file  # the refused row, ready to fix


def test_service_refusals_come_back_under_their_column(admin_client, homes):
    _, _, units = homes
    LeaseFactory(
        unit=units[2], start_date=date(2024, 1, 1), end_date=date(2024, 12, 31), number="LS-X"
    )
    content = HEADER + (
        "L-1,MH-203,P1234567,2024-06-01,2025-05-31,Fixed,9500,0,Monthly,1,\n"  # overlaps LS-X
        "L-2,MH-201,P1234567,2024-03-01,,Fixed,9500,0,Monthly,1,\n"  # fixed without an end
        'L-3,MH-201,P1234567,2024-03-01,2025-02-28,Fixed,"12,5",0,Monthly,1,\n'
        "L-4,MH-201,P1234567,2024-03-01,2025-02-28,Fixed,abc,0,Monthly,1,\n"
        "L-5,MH-202,NOBODY,2024-03-01,2025-02-28,Fixed,9500,0,Monthly,1,\n"
        "L-6,MH-202,P1234567,2024-03-01,2025-02-28,Fixed,9500,0,Monthly,31,\n"
        "LS-2026-00099,MH-202,P1234567,2024-03-01,2025-02-28,Fixed,9500,0,Monthly,1,\n"
        "L-7,MH-202,P1234567,2024-03-01,2025-02-28,Fixed,9500,0,Monthly,1,\n"
        "L-8,MH-202,P7654321,2024-06-01,2025-02-28,Fixed,9500,0,Monthly,1,\n"  # overlaps L-7
        "L-9,MH-202,P1234567,2025-03-01,2026-02-28,Fixed,9500.125,0,Monthly,1,\n"
    )
    job = lease_job(admin_client, content)
    assert counts(job) == (1, 0, 0, 9), job.report["errors"]
    errors = {error["row"]: error for error in job.report["errors"]}
    assert errors[2]["column"] == "Start" and "already let" in errors[2]["message"]
    assert errors[3]["column"] == "End" and "needs an end date" in errors[3]["message"]
    assert errors[4]["column"] == "Monthly rent" and "with a point" in errors[4]["message"]
    assert errors[5]["message"] == "“abc” is not a number."
    assert errors[6]["column"] == "Tenant ID number" and errors[6]["value"] == "NOBODY"
    assert errors[7]["column"] == "Billing day"
    assert errors[8]["column"] == "Lease number" and "former system" in errors[8]["message"]
    assert errors[10]["column"] == "Start" and "row 9" in errors[10]["message"]
    assert "more than 2 decimals" in errors[11]["message"]
    assert not job.can_confirm  # all or nothing: none of it
    confirm(admin_client, job)
    assert not Lease.objects.filter(number__startswith="L-").exists()


def test_two_clients_with_one_document_number_are_ambiguous(admin_client, homes):
    ClientFactory(id_type="emirates_id", id_number="P1234567")
    job = lease_job(
        admin_client, HEADER + "L-1,MH-201,P1234567,2024-03-01,2025-02-28,Fixed,1,0,Monthly,1,\n"
    )
    [error] = job.report["errors"]
    assert "Several clients" in error["message"]


def test_template_has_drop_downs_and_notes(admin_client):
    response = admin_client.get(reverse("admin:leasing_lease_import_template"))
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = book.worksheets[0]
    headers = [cell.value for cell in sheet[1]]
    assert headers[:3] == ["Lease number", "Unit", "Tenant ID number"]
    assert "Currency" not in headers
    assert sheet["A1"].comment is not None
    covered = {str(v.sqref).split(":")[0] for v in sheet.data_validations.dataValidation}
    by_header = {headers[ord(cell[0]) - ord("A")] for cell in covered}
    assert by_header == {"Term", "Billing", "Status"}


def test_a_leasing_manager_imports_within_their_building(client, roles, homes):
    """Units, and leases, are looked up within what the importing user sees."""
    _, _, units = homes
    manager = UserFactory(is_staff=True, roles=[LEASING_MANAGER])
    building = BuildingFactory(code="MINE")
    Unit.objects.filter(pk=units[0].pk).update(building=building, project=building.project)
    grant(building, manager)
    hidden = LeaseFactory(number="L-HIDDEN", unit=units[2])
    client.force_login(manager)
    assert "/leasing/lease/import/" in client.get(reverse("admin:leasing_lease_changelist")).text

    content = HEADER + (
        "L-1,MH-201,P1234567,2024-03-01,2025-02-28,Fixed,9500,0,Monthly,1,\n"
        "L-2,MH-202,P1234567,2024-03-01,2025-02-28,Fixed,9500,0,Monthly,1,\n"
        f"{hidden.number},MH-201,P1234567,2024-03-01,2025-02-28,Fixed,9500,0,Monthly,1,\n"
    )
    job = lease_job(client, content, mode="valid")
    assert counts(job) == (1, 0, 0, 2), job.report
    errors = {error["row"]: error for error in job.report["errors"]}
    assert errors[3]["column"] == "Unit" and "not one you may see" in errors[3]["message"]
    assert errors[4]["column"] == "Lease number" and "may not see" in errors[4]["message"]
    confirm(client, job)
    assert Lease.objects.get(number="L-1").status == LeaseStatus.ACTIVE


def test_a_row_refused_as_it_is_written_rolls_the_file_back(admin_client, homes):
    """All or nothing: the unit was let between the preview and the confirm."""
    _, other, units = homes
    content = HEADER + (
        "L-1,MH-202,P1234567,2024-03-01,2025-02-28,Fixed,9500,0,Monthly,1,\n"
        "L-2,MH-201,P1234567,2024-03-01,2025-02-28,Fixed,9500,0,Monthly,1,\n"
    )
    job = lease_job(admin_client, content)
    assert counts(job) == (2, 0, 0, 0) and job.can_confirm
    LeaseFactory(unit=units[0], tenant=other, start_date=date(2024, 1, 1), number="LS-LATE")

    confirm(admin_client, job)
    job.refresh_from_db()
    assert job.status == "failed" and job.rows_invalid == 1, job.message
    [error] = job.report["errors"]
    assert error["row"] == 3 and "LS-LATE" in error["message"]
    assert not Lease.objects.filter(number__in=["L-1", "L-2"]).exists()
