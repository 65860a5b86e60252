"""Upload, preview (counts and the changed values), confirm; the two modes; round trips."""

import csv
import io
from decimal import Decimal

import openpyxl
import pytest
from django.contrib.admin.models import LogEntry
from django.urls import reverse

from realestate.core.importing import engine
from realestate.core.models import ImportJob
from realestate.properties.models import Building, Unit
from tests.imports.conftest import (
    HEADER,
    UNIT_EXPORT_URL,
    confirm,
    snapshot,
    uploaded_job,
)

pytestmark = pytest.mark.django_db


def export_csv(client) -> str:
    response = client.post(UNIT_EXPORT_URL, {"format": "0", "resource": "0"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    return b"".join(response.streaming_content).decode("utf-8-sig")


def test_export_then_import_changes_nothing(admin_client, inventory):
    exported = export_csv(admin_client)
    before = snapshot()
    history = Unit.history.count()

    job = uploaded_job(admin_client, exported)

    assert (job.status, job.phase) == ("done", "check")
    assert (job.rows_new, job.rows_changed, job.rows_unchanged, job.rows_invalid) == (0, 0, 3, 0)
    assert not job.can_confirm  # nothing to write
    assert snapshot() == before
    assert Unit.history.count() == history


def test_preview_counts_and_shows_only_changed_fields(admin_client, inventory):
    content = (
        HEADER
        + "NEW-1,marina-heights,MH-T1,apartment,sale,75.5,800000,25.1,55.1\n"
        + "MH-101,marina-heights,MH-T1,Apartment,Sale,111.25,1900000,25.2048,55.2708\n"
        + "STAND-1,,,apartment,sale,80,99.99,,\n"
    )
    unit = Unit.objects.get(code="STAND-1")
    Unit.objects.filter(pk=unit.pk).update(area_sqm=Decimal("80"), unit_type="apartment")
    before = snapshot()

    job = uploaded_job(admin_client, content)

    assert (job.rows_new, job.rows_changed, job.rows_unchanged, job.rows_invalid) == (1, 1, 1, 0), (
        job.report
    )
    [changed] = job.report["changed"]
    assert changed["row"] == 3 and changed["key"] == "MH-101"
    assert set(changed["changes"]) == {"Area (m²)", "List price"}
    assert changed["changes"]["List price"] == ["1850000.00", "1900000"]
    assert snapshot() == before  # the preview writes nothing

    page = admin_client.get(reverse("admin:core_importjob_change", args=[job.pk]))
    assert page.status_code == 200
    assert "1850000.00 → 1900000" in page.content.decode()

    history = Unit.history.count()
    response = confirm(admin_client, job)
    assert response.status_code == 302
    job.refresh_from_db()
    assert (job.phase, job.status, job.rows_written) == ("import", "done", 2)
    assert Unit.objects.get(code="MH-101").list_price == Decimal("1900000")
    assert Unit.objects.get(code="NEW-1").location.y == pytest.approx(25.1)
    assert Unit.history.count() == history + 2  # none for the unchanged row
    [entry] = LogEntry.objects.filter(object_id=str(job.pk))
    assert "1 new, 1 changed, 1 unchanged, 0 rejected" in entry.change_message


BAD_ROWS = [
    (
        "NEW-3,no-such-project,,apartment,sale,80,900000,25.1,55.1",
        "Project",
        "no-such-project",
        "No project with code “no-such-project”",
    ),
    (
        "NEW-3,marina-heights,,apartment,sale,80,900000,abc,55.1",
        "Latitude",
        "abc",
        "“abc” is not a number.",
    ),
    (
        "NEW-3,marina-heights,,apartment,sale,80,900000,95,55.1",
        "Latitude",
        "95",
        "95.0 is out of range (-90 to 90).",
    ),
    (
        "NEW-3,marina-heights,,apartment,sale,80,,25.1,55.1",
        "List price",
        "",
        "A unit for sale needs a list price.",
    ),
    (
        "NEW-3,marina-heights,,castle,sale,80,1,25.1,55.1",
        "Unit type",
        "castle",
        "“castle” is not one of: Apartment",
    ),
    (
        "NEW-1,marina-heights,,apartment,sale,80,1,25.1,55.1",
        "Code",
        "NEW-1",
        "Code “NEW-1” is also on row 2",
    ),
]


@pytest.mark.parametrize(("bad_row", "column", "value", "message"), BAD_ROWS)
def test_bad_row_is_named_by_row_column_and_value(
    admin_client, inventory, bad_row, column, value, message
):
    content = HEADER + "NEW-1,marina-heights,MH-T1,apartment,sale,75.5,800000,25.1,55.1\n"
    content += "MH-101,marina-heights,MH-T1,apartment,sale,110.50,1900000,25.2,55.2\n"
    content += bad_row + "\n"
    before = snapshot()

    job = uploaded_job(admin_client, content)

    assert job.rows_invalid == 1
    [error] = job.report["errors"]
    assert (error["row"], error["column"], error["value"]) == (4, column, value)
    assert message in error["message"]
    assert not job.can_confirm  # all or nothing: no way on with a bad row
    assert confirm(admin_client, job).status_code == 302
    assert snapshot() == before
    page = admin_client.get(reverse("admin:core_importjob_change", args=[job.pk])).content
    assert "Nothing can be imported while rows are invalid" in page.decode()


def test_missing_and_unknown_columns_are_named(admin_client, inventory):
    job = uploaded_job(admin_client, "Code,Colour,Unit type\nX-1,red,apartment\n")

    assert job.status == "failed"
    assert "missing columns: “Area (m²)”" in job.message
    assert "unknown columns: “Colour”" in job.message


def test_field_names_are_accepted_as_headers(admin_client, inventory):
    content = "code,unit_type,purpose,area_sqm,list_price\nFN-1,villa,sale,300,4000000\n"
    job = uploaded_job(admin_client, content)
    assert (job.rows_new, job.rows_invalid) == (1, 0)


def test_valid_rows_mode_imports_them_and_returns_the_rejected(admin_client, inventory):
    content = (
        HEADER
        + "OK-1,marina-heights,MH-T1,apartment,sale,75.5,800000,25.1,55.1\n"
        + "BAD-1,marina-heights,MH-T1,apartment,sale,-5,800000,25.1,55.1\n"
        + "OK-2,,,villa,sale,300,=1+2,,\n"
    )
    job = uploaded_job(admin_client, content, mode="valid")
    assert (job.rows_new, job.rows_invalid) == (1, 2)
    assert job.can_confirm

    confirm(admin_client, job)

    job.refresh_from_db()
    assert (job.status, job.rows_written) == ("done", 1)
    assert list(
        Unit.objects.filter(code__in=["OK-1", "OK-2", "BAD-1"]).values_list("code", flat=True)
    ) == ["OK-1"]
    response = admin_client.get(reverse("admin:core_importjob_file", args=[job.pk, "rejected"]))
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    header, *rows = list(sheet.values)
    assert header[-2:] == ("Row", "Errors")
    assert [row[0] for row in rows] == ["BAD-1", "OK-2"]
    assert "Area (m²)" in rows[0][-1]
    assert rows[1][6] == "=1+2"  # kept as the clerk typed it, as text
    assert sheet.cell(row=3, column=7).data_type == "s"


def test_exported_csv_reads_back(admin_client, inventory):
    rows = list(csv.DictReader(io.StringIO(export_csv(admin_client))))
    by_code = {row["Code"]: row for row in rows}
    assert by_code["MH-101"]["Project"] == "marina-heights"
    assert by_code["MH-101"]["Agent"] == "sara"
    assert by_code["MH-101"]["Latitude"] == "25.2048"


def test_imports_list_shows_only_own_imports(client, admin_client, inventory, agent1):
    job = uploaded_job(admin_client, HEADER)
    client.force_login(agent1)
    assert client.get(reverse("admin:core_importjob_change", args=[job.pk])).status_code == 404
    assert client.get(reverse("admin:core_importjob_progress", args=[job.pk])).status_code == 404
    assert job in ImportJob.objects.all()


def test_a_few_hundred_rows_with_history_and_grants(admin_client, inventory, agent1):
    """Enough rows for the bulk path (COPY on PostgreSQL): ids, history rows and grants."""
    lines = ["Code,Unit type,Area (m²),List price,Latitude,Longitude,Agent"]
    lines += [f"BULK-{n:03d},office,{40 + n},{1000 + n},25.1,55.2,agent1" for n in range(250)]
    history = Unit.history.count()
    job = uploaded_job(admin_client, "\n".join(lines) + "\n")
    confirm(admin_client, job)
    job.refresh_from_db()
    assert (job.status, job.rows_written) == ("done", 250), job.message
    assert Unit.history.count() == history + 250
    record = Unit.history.filter(code="BULK-007").get()
    assert (record.history_type, record.area_sqm) == ("+", Decimal("47"))
    assert record.history_change_reason == f"Import #{job.pk} (units.csv)"
    assert Unit.objects.restrict(agent1, "change").filter(code__startswith="BULK-").count() == 250
    assert Unit.objects.get(code="BULK-249").location.x == pytest.approx(55.2)


def test_a_row_invalid_by_the_time_of_the_import_rolls_all_back(
    admin_client, inventory, monkeypatch
):
    monkeypatch.setattr(engine, "CHUNK", 1)  # the valid row is written before the bad one
    content = HEADER + "NEW-2,,,apartment,sale,75.5,800000,25.1,55.1\n"
    content += "NEW-1,marina-heights,MH-T1,apartment,sale,75.5,800000,25.1,55.1\n"
    job = uploaded_job(admin_client, content)
    assert (job.rows_new, job.rows_invalid) == (2, 0)
    Unit.objects.filter(building__code="MH-T1").delete()
    Building.objects.filter(code="MH-T1").delete()  # gone between the preview and the import

    confirm(admin_client, job)

    job.refresh_from_db()
    assert (job.status, job.rows_invalid, job.rows_written) == ("failed", 1, 0)
    assert "No building with code “MH-T1”" in job.report["errors"][0]["message"]
    assert not Unit.objects.filter(code__in=["NEW-1", "NEW-2"]).exists()
